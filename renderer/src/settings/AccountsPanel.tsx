import { useEffect, useState } from 'react';
import { errorLine, type ApiResults, type DailyBriefClient } from '../client/types.ts';
import { StatusLine } from '../StatusLine.tsx';

type Account = ApiResults['accounts/list'][number];

/**
 * Google accounts, connected through the system browser: the app opens Google's consent page and waits for
 * its loopback redirect, so this panel only starts it and shows what came of it.
 */
export function AccountsPanel({ client }: { client: DailyBriefClient }) {
  const [accounts, setAccounts] = useState<Account[] | null>(null);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<{ text: string; error: boolean } | null>(null);

  useEffect(() => {
    client['accounts/list']({}).then(setAccounts, (failure: unknown) => {
      setStatus({ text: errorLine(failure), error: true });
    });
  }, [client]);

  async function connect(): Promise<void> {
    setBusy(true);
    setStatus({ text: 'Finish signing in to Google in your browser…', error: false });
    try {
      const { address } = await client['accounts/connect']({ provider: 'google' });
      setAccounts(await client['accounts/list']({}));
      setStatus({ text: `Connected ${address}.`, error: false });
    } catch (failure) {
      setStatus({ text: errorLine(failure), error: true });
    } finally {
      setBusy(false);
    }
  }

  async function disconnect(address: string): Promise<void> {
    setBusy(true);
    try {
      setAccounts(await client['accounts/disconnect']({ provider: 'google', address }));
      setStatus({ text: `Disconnected ${address}.`, error: false });
    } catch (failure) {
      setStatus({ text: errorLine(failure), error: true });
    } finally {
      setBusy(false);
    }
  }

  return (
    <fieldset>
      <legend>Google accounts</legend>
      {accounts?.length === 0 && <p>No account connected: email and calendar are off.</p>}
      {accounts && accounts.length > 0 && (
        <ul className="accounts" aria-label="Connected accounts">
          {accounts.map((account) => (
            <li key={account.address}>
              <span>{account.address}</span>{' '}
              <span className={account.status === 'connected' ? 'ok' : 'error'}>
                {account.status === 'connected' ? 'connected' : 'needs reconnecting'}
              </span>{' '}
              <button
                type="button"
                disabled={busy}
                aria-label={`Disconnect ${account.address}`}
                onClick={() => {
                  void disconnect(account.address);
                }}
              >
                Disconnect
              </button>
            </li>
          ))}
        </ul>
      )}
      <button
        type="button"
        disabled={busy}
        onClick={() => {
          void connect();
        }}
      >
        Connect a Google account
      </button>
      <StatusLine status={status} />
    </fieldset>
  );
}
