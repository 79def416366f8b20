import { useId, useLayoutEffect, useRef, useState } from 'react';
import type { ApiResults, DailyBriefClient } from '../client/types.ts';
import { accountErrorSentence } from './account-errors.ts';

type Account = ApiResults['accounts/list'][number];

interface Props {
  client: DailyBriefClient;
  /** A mail or calendar account with the arguments that connect it again (all but its password or link). */
  account: Account;
  label: string;
  busy: boolean;
  onBusy: (busy: boolean) => void;
  onStatus: (status: { text: string; error: boolean }) => void;
  /** Resolves once the list shows the account connected. */
  onConnected: () => Promise<void>;
  onCancel: () => void;
}

/**
 * Connects a listed account in this app: everything but the secret is known, so only the password (or, for a
 * calendar link, the link, which is the secret) is asked for. The app checks it with the server before it keeps it.
 */
export function ReconnectForm({ client, account, label, busy, onBusy, onStatus, onConnected, onCancel }: Props) {
  const [secret, setSecret] = useState('');
  const id = useId();
  const field = useRef<HTMLInputElement>(null);
  // The user just asked to connect it: the one thing left to do is to type. (The autofocus attribute only acts on a
  // page's first load, not on a field that appears later.)
  useLayoutEffect(() => {
    field.current?.focus();
  }, []);
  const reconnect = account.reconnect;
  if (!reconnect || reconnect.provider === 'google') return null;
  const isLink = reconnect.provider === 'ics';

  async function submit(event: Event): Promise<void> {
    event.preventDefault();
    if (!reconnect || reconnect.provider === 'google') return;
    if (!secret) {
      onStatus({ text: isLink ? 'Paste the calendar link first.' : 'Type the password first.', error: true });
      return;
    }
    onBusy(true);
    onStatus({ text: 'Checking the account with its server…', error: false });
    try {
      await client['accounts/connect'](
        reconnect.provider === 'ics' ? { ...reconnect, url: secret } : { ...reconnect, password: secret },
      );
      setSecret('');
      await onConnected();
      onStatus({ text: `${label} is connected here too.`, error: false });
    } catch (failure) {
      onStatus({ text: accountErrorSentence(failure), error: true });
    } finally {
      onBusy(false);
    }
  }

  return (
    <form
      className="reconnect"
      aria-label={`Connect ${label} here`}
      onSubmit={(event) => {
        void submit(event);
      }}
    >
      <div className="field">
        <label htmlFor={id}>{isLink ? `Calendar link for ${label}` : `Password for ${label}`}</label>
        <input
          id={id}
          ref={field}
          type="password"
          autoComplete="new-password"
          spellcheck={false}
          value={secret}
          onChange={(e) => {
            setSecret(e.currentTarget.value);
          }}
        />
      </div>
      <button type="submit" disabled={busy}>
        Connect
      </button>
      <button type="button" disabled={busy} onClick={onCancel}>
        Cancel
      </button>
    </form>
  );
}
