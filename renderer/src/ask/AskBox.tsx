import { useState, type RefObject } from 'react';
import { errorLine, type ApiResults, type DailyBriefClient } from '../client/types.ts';
import { ErrorLine } from '../StatusLine.tsx';
import { Icon } from '../ui/Icon.tsx';
import { AskResults } from './AskResults.tsx';

type Answer = ApiResults['ask'];

interface Props {
  client: DailyBriefClient;
  inputRef: RefObject<HTMLInputElement>;
  /** Goes to an item of the brief on screen. */
  onJump: (itemId: string) => void;
  /** The app's clock, for "2 h ago". */
  now?: () => Date;
  /** The brief's zone, for exact times; the browser's own by default. */
  timezone?: string;
}

export function AskBox({ client, inputRef, onJump, now = () => new Date(), timezone = localZone() }: Props) {
  const [question, setQuestion] = useState('');
  const [answer, setAnswer] = useState<Answer | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function ask(): Promise<void> {
    setBusy(true);
    setError(null);
    try {
      setAnswer(await client.ask({ question }));
    } catch (failure) {
      setError(errorLine(failure));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="ask" aria-label="Ask">
      <form
        role="search"
        onSubmit={(event) => {
          event.preventDefault();
          void ask();
        }}
      >
        <Icon name="search" />
        <input
          ref={inputRef}
          type="search"
          aria-label="Ask about your briefs"
          aria-keyshortcuts="/"
          placeholder="Ask about your briefs, e.g. when is the renewal review?"
          value={question}
          maxLength={1000}
          onChange={(event) => {
            setQuestion(event.currentTarget.value);
          }}
        />
        <button type="submit" disabled={busy || !question.trim()}>
          {busy ? 'Asking…' : 'Ask'}
        </button>
      </form>
      <ErrorLine text={error} />
      {answer && (
        <div className="answer" data-testid="ask-answer" aria-live="polite">
          {/* Without a model the matches are the answer: said once, as cards, not again as a numbered text. */}
          <p>{answer.mode === 'llm' || answer.citations.length === 0 ? answer.answer : 'Found in your briefs:'}</p>
          {answer.citations.length > 0 && (
            <AskResults citations={answer.citations} now={now()} timezone={timezone} onJump={onJump} />
          )}
        </div>
      )}
    </section>
  );
}

function localZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}
