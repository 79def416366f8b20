import { useState, type RefObject } from 'react';
import { errorLine, type ApiResults, type DailyBriefClient } from '../client/types.ts';
import { safeHref } from '../format.ts';
import { ErrorLine } from '../StatusLine.tsx';

type Answer = ApiResults['ask'];

export function AskBox({
  client,
  inputRef,
}: {
  client: DailyBriefClient;
  inputRef: RefObject<HTMLInputElement | null>;
}) {
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
    <section className="card ask" aria-labelledby="ask-heading">
      <h2 id="ask-heading">Ask your memory</h2>
      <form
        role="search"
        onSubmit={(event) => {
          event.preventDefault();
          void ask();
        }}
      >
        <input
          ref={inputRef}
          type="search"
          aria-label="Question"
          aria-keyshortcuts="/"
          placeholder="When is the renewal review?"
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
          <p>{answer.answer}</p>
          {answer.citations.length > 0 && (
            <ol className="citations" aria-label="Sources">
              {answer.citations.map((citation) => {
                const href = safeHref(citation.url);
                return (
                  <li key={citation.itemId}>
                    {href ? (
                      <a href={href} target="_blank" rel="noopener noreferrer">
                        {citation.title}
                      </a>
                    ) : (
                      citation.title
                    )}
                  </li>
                );
              })}
            </ol>
          )}
        </div>
      )}
    </section>
  );
}
