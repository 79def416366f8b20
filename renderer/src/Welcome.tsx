import type { RefreshState } from './status/RefreshBar.tsx';

interface Props {
  refresh: RefreshState;
  onSetUp: () => void;
  onRefresh: () => void;
}

/** The first visit, before any brief: what this is, and the one thing to do next. */
export function Welcome({ refresh, onSetUp, onRefresh }: Props) {
  return (
    <section className="welcome" aria-labelledby="welcome-heading">
      <h1 id="welcome-heading">Welcome to Daily Brief</h1>
      <p>
        Daily Brief reads your email, calendar and news on this computer and writes a short brief of what matters today.
        Nothing leaves your machine.
      </p>
      {refresh.running ? (
        <p>Your first brief is being written. It takes a minute.</p>
      ) : (
        <p>
          {refresh.error
            ? 'The first brief could not be written yet. Set up your sources, then try again.'
            : 'Tell it your location and a few news feeds, or connect an account, and your first brief follows.'}
        </p>
      )}
      <div className="welcome-actions">
        <button type="button" className="primary" onClick={onSetUp}>
          Set up my sources
        </button>
        {!refresh.running && (
          <button type="button" onClick={onRefresh}>
            Write my brief now
          </button>
        )}
      </div>
    </section>
  );
}
