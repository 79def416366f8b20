import { useState, type RefObject } from 'react';
import { errorLine, type ApiResults, type DailyBriefClient } from '../client/types.ts';
import { itemDomId, safeHref } from '../format.ts';
import { ErrorLine } from '../StatusLine.tsx';
import { Icon } from '../ui/Icon.tsx';

type Answer = ApiResults['ask'];
type Citation = Answer['citations'][number];

interface Props {
  client: DailyBriefClient;
  inputRef: RefObject<HTMLInputElement | null>;
  /** Goes to an item of the brief on screen. */
  onJump: (itemId: string) => void;
}

/** A citation goes to the item when it is on the page, else out to its page. */
function CitationLink({ citation, onJump }: { citation: Citation; onJump: (itemId: string) => void }) {
  if (document.getElementById(itemDomId(citation.itemId))) {
    return (
      <a
        href={`#${itemDomId(citation.itemId)}`}
        onClick={(event) => {
          event.preventDefault();
          onJump(citation.itemId);
        }}
      >
        {citation.title}
      </a>
    );
  }
  const href = safeHref(citation.url);
  return href ? (
    <a href={href} target="_blank" rel="noopener noreferrer">
      {citation.title}
    </a>
  ) : (
    <span>{citation.title}</span>
  );
}

export function AskBox({ client, inputRef, onJump }: Props) {
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
            setQuestion(event.target.value);
          }}
        />
        <button type="submit" disabled={busy || !question.trim()}>
          {busy ? 'Asking…' : 'Ask'}
        </button>
      </form>
      <ErrorLine text={error} />
      {answer && (
        <div className="answer" data-testid="ask-answer" aria-live="polite">
          {/* Without a model the matches are the answer: listing them once, as links, says it all. */}
          {answer.mode === 'llm' || answer.citations.length === 0 ? (
            <p>{answer.answer}</p>
          ) : (
            <p>Found in your briefs:</p>
          )}
          {answer.citations.length > 0 && (
            <ol className="citations" aria-label="Sources">
              {answer.citations.map((citation) => (
                <li key={citation.itemId}>
                  <CitationLink citation={citation} onJump={onJump} />
                </li>
              ))}
            </ol>
          )}
        </div>
      )}
    </section>
  );
}
