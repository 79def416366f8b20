// Before the UI library: starts the first read of the brief (see boot.ts).
import { client, firstBrief, settledWithin } from './boot.ts';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import './styles.css';

/** How long the page may stay blank waiting for the cached brief (one SQLite read) before it mounts without it. */
const FIRST_BRIEF_WAIT_MS = 150;

/** The bare address, without the token: words on how to get in, and no call that would only be refused. */
function NeedsLink() {
  return (
    <main className="needs-link">
      <h1>Daily Brief</h1>
      <p>This page needs the private link that opens it.</p>
      <p>
        Open the full link that <code>daily-brief serve</code> printed in your terminal, or run{' '}
        <code>daily-brief serve</code> again for a new one.
      </p>
    </main>
  );
}

const root = document.getElementById('root');
if (root) {
  if (!client || !firstBrief) {
    createRoot(root).render(<NeedsLink />);
  } else {
    const api = client;
    const cached = firstBrief;
    void settledWithin(cached, FIRST_BRIEF_WAIT_MS).then((first) => {
      createRoot(root).render(<App client={api} cached={cached} first={first} />);
    });
  }
}
