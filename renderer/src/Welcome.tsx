import type { RefreshState } from './status/RefreshBar.tsx';

interface Props {
  refresh: RefreshState;
  onSetUp: () => void;
  onRefresh: () => void;
  onTry: () => void;
  /** The sample day is being opened. */
  trying: boolean;
  tryError: string | null;
}

/** The first visit, before any brief: what this is, and the two ways on (set it up, or see a sample first). */
export function Welcome({ refresh, onSetUp, onRefresh, onTry, trying, tryError }: Props) {
  return (
    <section className="welcome" aria-labelledby="welcome-heading">
      <h1 id="welcome-heading">Welcome to Daily Brief</h1>
      <p>
        Daily Brief reads your email, calendar and news on this computer and writes a short brief of what matters today.
        Nothing leaves your machine.
      </p>
      <div className="welcome-choices">
        <div className="choice">
          <button type="button" className="primary" aria-describedby="choice-setup" onClick={onSetUp}>
            Set up my sources
          </button>
          <p id="choice-setup">Your location, a few news feeds and your accounts. Your first brief follows.</p>
        </div>
        <div className="choice">
          <button
            type="button"
            className="primary-outline"
            aria-describedby="choice-sample"
            disabled={trying}
            onClick={onTry}
          >
            {trying ? 'Opening the sample day…' : 'Try the sample day'}
          </button>
          <p id="choice-sample">A made-up morning of mail, meetings and news, to see how a brief reads first.</p>
        </div>
      </div>
      {tryError && (
        <p className="error" role="alert">
          {tryError}
        </p>
      )}
      {refresh.running ? (
        <p className="welcome-status" role="status">
          Your first brief is being written. It takes a minute.
        </p>
      ) : (
        <p className="welcome-status">
          {refresh.error
            ? 'The first brief could not be written yet. Set up your sources, then try again. '
            : 'Sources already set up? '}
          <button type="button" className="link" onClick={onRefresh}>
            {refresh.error ? 'Try again' : 'Write my brief now'}
          </button>
        </p>
      )}
    </section>
  );
}
