import { useEffect, useState } from 'react';
import { errorLine, type ApiResults, type DailyBriefClient } from '../client/types.ts';
import { StatusLine } from '../StatusLine.tsx';
import { accountErrorSentence } from './account-errors.ts';
import { OtherAccountForm } from './OtherAccountForm.tsx';
import { ReconnectForm } from './ReconnectForm.tsx';

type Account = ApiResults['accounts/list'][number];

/** Connected elsewhere: the other Daily Brief (the desktop app or the command line) keeps its password or sign-in. */
const STATUS: Record<Account['status'], { text: string; className: string; fix: string }> = {
  connected: { text: 'connected', className: 'ok', fix: '' },
  'needs-reconnect': { text: 'needs reconnecting', className: 'error', fix: 'Reconnect' },
  'connected-elsewhere': { text: 'connected in the other app', className: 'muted', fix: 'Connect here' },
};

const KIND_LABEL: Record<Account['provider'], string> = {
  google: 'Google',
  imap: 'Mail',
  caldav: 'Calendar',
  ics: 'Calendar link',
};

/**
 * Connected accounts. Google connects through the system browser: the app opens Google's consent page and
 * waits for its loopback redirect, so this panel only starts it. IMAP, CalDAV and ICS accounts are added with
 * the form below, which the app checks against the server before it keeps anything.
 */
export function AccountsPanel({ client }: { client: DailyBriefClient }) {
  const [accounts, setAccounts] = useState<Account[] | null>(null);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<{ text: string; error: boolean } | null>(null);
  /** The account whose password (or link) is being asked for, to connect it in this app. */
  const [asking, setAsking] = useState<string | null>(null);

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

  async function disconnect(account: Account): Promise<void> {
    setBusy(true);
    try {
      setAccounts(await client['accounts/disconnect']({ provider: account.provider, address: handleOf(account) }));
      setStatus({ text: `Disconnected ${labelOf(account)}.`, error: false });
    } catch (failure) {
      setStatus({ text: accountErrorSentence(failure), error: true });
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <fieldset>
        <legend>Email and calendar</legend>
        {accounts?.length === 0 && <p>No account connected: email and calendar are off.</p>}
        {accounts && accounts.length > 0 && (
          <ul className="accounts" aria-label="Connected accounts">
            {accounts.map((account) => (
              <li key={keyOf(account)}>
                <span>{labelOf(account)}</span>{' '}
                {account.provider !== 'google' && (
                  <span className="muted">
                    {KIND_LABEL[account.provider]}
                    {account.server ? ` · ${account.server}` : ''}
                  </span>
                )}{' '}
                <span
                  className={STATUS[account.status].className}
                  title={
                    account.status === 'connected-elsewhere'
                      ? 'Its password or sign-in is kept by the other Daily Brief app, not by this one'
                      : undefined
                  }
                >
                  {STATUS[account.status].text}
                </span>{' '}
                {account.reconnect && (
                  <button
                    type="button"
                    disabled={busy}
                    aria-label={
                      account.status === 'connected-elsewhere'
                        ? `Connect ${labelOf(account)} here`
                        : `Reconnect ${labelOf(account)}`
                    }
                    onClick={() => {
                      if (account.provider === 'google') void connect();
                      else setAsking(keyOf(account));
                    }}
                  >
                    {STATUS[account.status].fix}
                  </button>
                )}{' '}
                <button
                  type="button"
                  disabled={busy}
                  aria-label={`Disconnect ${labelOf(account)}`}
                  onClick={() => {
                    void disconnect(account);
                  }}
                >
                  Disconnect
                </button>
                {asking === keyOf(account) && (
                  <ReconnectForm
                    client={client}
                    account={account}
                    label={labelOf(account)}
                    busy={busy}
                    onBusy={setBusy}
                    onStatus={setStatus}
                    onConnected={async () => {
                      setAccounts(await client['accounts/list']({}));
                      setAsking(null);
                    }}
                    onCancel={() => {
                      setAsking(null);
                    }}
                  />
                )}
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
      <fieldset>
        <legend>Other email and calendar accounts</legend>
        <p className="muted">
          Outlook.com and Microsoft 365 need Microsoft’s own sign-in (OAuth), which this app does not have yet.
        </p>
        <OtherAccountForm
          client={client}
          busy={busy}
          onBusy={setBusy}
          onStatus={setStatus}
          onAdded={async (account) => {
            setAccounts(await client['accounts/list']({}));
            setStatus({ text: `Added ${labelOf(account)}; the next refresh reads it.`, error: false });
          }}
        />
      </fieldset>
    </>
  );
}

function keyOf(account: Account): string {
  return `${account.provider}:${handleOf(account)}`;
}

/** What `disconnect` takes: Google's address, else the account's name. */
function handleOf(account: Account): string {
  return account.provider === 'google' ? account.address : (account.name ?? account.address);
}

/** How the list names it: the address for Google, else the name, with the login when they differ. */
function labelOf(account: Account): string {
  const handle = handleOf(account);
  return handle === account.address ? handle : `${handle} (${account.address})`;
}
