import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { pickClient } from './client/pick.ts';
import './styles.css';

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
  const client = pickClient(window);
  if (!client) {
    createRoot(root).render(<NeedsLink />);
  } else {
    // Asked for before React starts, so the one SQLite read overlaps with mounting the app.
    const cached = client['brief/latest']({});
    createRoot(root).render(
      <StrictMode>
        <App client={client} cached={cached} />
      </StrictMode>,
    );
  }
}
