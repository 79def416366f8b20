import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { pickClient } from './client/pick.ts';
import './styles.css';

const root = document.getElementById('root');
if (root) {
  const client = pickClient(window);
  // Asked for before React starts, so the one SQLite read overlaps with mounting the app.
  const cached = client['brief/latest']({});
  createRoot(root).render(
    <StrictMode>
      <App client={client} cached={cached} />
    </StrictMode>,
  );
}
