import { useId, useState, type ReactNode } from 'react';
import type { ApiArgs, ApiResults, DailyBriefClient } from '../client/types.ts';
import { accountErrorSentence } from './account-errors.ts';
import { PRESETS, presetsFor, type Preset, type Security } from './account-presets.ts';

type Account = ApiResults['accounts/connect'];
type Kind = 'imap' | 'caldav' | 'ics';

const KINDS: { kind: Kind; label: string }[] = [
  { kind: 'imap', label: 'Mail (IMAP)' },
  { kind: 'caldav', label: 'Calendar (CalDAV)' },
  { kind: 'ics', label: 'Calendar link (ICS)' },
];

interface Draft {
  host: string;
  port: string;
  security: Security;
  mailbox: string;
  url: string;
  user: string;
  password: string;
  name: string;
}

const EMPTY: Draft = {
  host: '',
  port: '993',
  security: 'tls',
  mailbox: 'INBOX',
  url: '',
  user: '',
  password: '',
  name: '',
};

interface Props {
  client: DailyBriefClient;
  busy: boolean;
  onBusy: (busy: boolean) => void;
  /** Resolves once the list shows the new account. */
  onAdded: (account: Account) => Promise<void>;
  onStatus: (status: { text: string; error: boolean }) => void;
}

/**
 * Adds an IMAP, CalDAV or ICS account. The app checks it against the server before it saves anything, so
 * "Test and add" is both: a wrong password or host is reported and nothing is kept. The password and the
 * calendar link go to the app's secret store and are cleared from the form once sent.
 */
export function OtherAccountForm({ client, busy, onBusy, onAdded, onStatus }: Props) {
  const [kind, setKind] = useState<Kind>('imap');
  const [presetId, setPresetId] = useState('custom');
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const preset = PRESETS.find((p) => p.id === presetId);
  const set = (change: Partial<Draft>) => {
    setDraft((d) => ({ ...d, ...change }));
  };
  const bind = (key: 'host' | 'port' | 'mailbox' | 'url' | 'user' | 'password' | 'name') => (value: string) => {
    set({ [key]: value });
  };

  function choose(nextKind: Kind, id: string): void {
    setKind(nextKind);
    const chosen = nextKind === 'ics' ? undefined : presetsFor(nextKind).find((p) => p.id === id);
    setPresetId(chosen?.id ?? 'custom');
    const imap = chosen?.imap;
    set({
      host: imap?.host ?? '',
      port: String(imap?.port ?? 993),
      security: imap?.security ?? 'tls',
      url: chosen?.caldav?.url ?? '',
    });
  }

  async function submit(event: Event): Promise<void> {
    event.preventDefault();
    const args = connectArgs(kind, draft);
    if (typeof args === 'string') {
      onStatus({ text: args, error: true });
      return;
    }
    onBusy(true);
    onStatus({ text: 'Checking the account with its server…', error: false });
    try {
      const account = await client['accounts/connect'](args);
      set({ password: '', url: kind === 'ics' ? '' : draft.url, name: '' });
      await onAdded(account);
    } catch (failure) {
      onStatus({ text: accountErrorSentence(failure), error: true });
    } finally {
      onBusy(false);
    }
  }

  return (
    <form
      aria-label="Add a mail or calendar account"
      onSubmit={(event) => {
        void submit(event);
      }}
    >
      <Labelled label="Kind">
        {(id) => (
          <select
            id={id}
            value={kind}
            onChange={(e) => {
              choose(e.currentTarget.value as Kind, 'custom');
            }}
          >
            {KINDS.map((k) => (
              <option key={k.kind} value={k.kind}>
                {k.label}
              </option>
            ))}
          </select>
        )}
      </Labelled>
      {kind !== 'ics' && (
        <Labelled label="Provider">
          {(id) => (
            <select
              id={id}
              value={presetId}
              onChange={(e) => {
                choose(kind, e.currentTarget.value);
              }}
            >
              {presetsFor(kind).map((p) => (
                <option key={p.id} value={p.id}>
                  {p.label}
                </option>
              ))}
            </select>
          )}
        </Labelled>
      )}
      {kind !== 'ics' && preset && <PresetNote preset={preset} />}
      {kind === 'imap' && (
        <>
          <TextField label="Server" value={draft.host} onChange={bind('host')} placeholder="imap.example.com" />
          <TextField label="Port" value={draft.port} onChange={bind('port')} inputMode="numeric" />
          <Labelled label="Security">
            {(id) => (
              <select
                id={id}
                value={draft.security}
                onChange={(e) => {
                  set({ security: e.currentTarget.value as Security });
                }}
              >
                <option value="tls">TLS</option>
                <option value="starttls">STARTTLS</option>
                <option value="none">None (only for a server on this computer)</option>
              </select>
            )}
          </Labelled>
          <TextField label="Mailbox" value={draft.mailbox} onChange={bind('mailbox')} />
        </>
      )}
      {kind === 'caldav' && (
        <TextField
          label="Server URL"
          value={draft.url}
          onChange={bind('url')}
          placeholder="https://caldav.example.com/"
        />
      )}
      {kind === 'ics' && (
        <>
          <TextField
            label="Calendar link"
            value={draft.url}
            onChange={bind('url')}
            placeholder="https://… or webcal://…"
            secret
          />
          <p className="muted">
            Whoever has this link can read the calendar, so it is kept with the passwords, not in the settings.
          </p>
        </>
      )}
      {kind !== 'ics' && (
        <>
          <TextField label="User name" value={draft.user} onChange={bind('user')} placeholder="you@example.com" />
          <TextField label="Password" value={draft.password} onChange={bind('password')} secret />
        </>
      )}
      <TextField label="Name (optional)" value={draft.name} onChange={bind('name')} />
      <button type="submit" disabled={busy}>
        Test and add
      </button>
    </form>
  );
}

/** The call's arguments, or the sentence saying what is missing. */
function connectArgs(kind: Kind, draft: Draft): ApiArgs<'accounts/connect'> | string {
  const name = draft.name.trim() ? { name: draft.name.trim() } : {};
  if (kind === 'ics') {
    return draft.url.trim() ? { provider: 'ics', url: draft.url.trim(), ...name } : 'Paste the calendar link first.';
  }
  if (!draft.user.trim() || !draft.password) return 'Fill in the user name and the password first.';
  if (kind === 'caldav') {
    if (!draft.url.trim()) return 'Fill in the server URL first.';
    return { provider: 'caldav', url: draft.url.trim(), user: draft.user.trim(), password: draft.password, ...name };
  }
  const port = Number(draft.port);
  if (!draft.host.trim()) return 'Fill in the server first.';
  if (!Number.isInteger(port) || port < 1 || port > 65535) return 'The port is a number from 1 to 65535.';
  return {
    provider: 'imap',
    host: draft.host.trim(),
    port,
    security: draft.security,
    user: draft.user.trim(),
    mailbox: draft.mailbox.trim() || 'INBOX',
    password: draft.password,
    ...name,
  };
}

function PresetNote({ preset }: { preset: Preset }) {
  if (!preset.passwords && !preset.note) return null;
  return (
    <p className="muted">
      {preset.passwords && (
        <a href={preset.passwords.url} target="_blank" rel="noopener noreferrer">
          {preset.passwords.text}
        </a>
      )}
      {preset.passwords && preset.note ? ' · ' : ''}
      {preset.note}
    </p>
  );
}

function Labelled({ label, children }: { label: string; children: (id: string) => ReactNode }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children(id)}
    </div>
  );
}

interface TextFieldProps {
  label: string;
  value: string;
  onChange: (value: string) => void;
  placeholder?: string;
  inputMode?: 'numeric';
  /** Shown as dots and never offered to autofill. */
  secret?: boolean;
}

function TextField({ label, value, onChange, placeholder, inputMode, secret }: TextFieldProps) {
  return (
    <Labelled label={label}>
      {(id) => (
        <input
          id={id}
          type={secret ? 'password' : 'text'}
          autoComplete={secret ? 'new-password' : 'off'}
          spellcheck={false}
          value={value}
          placeholder={placeholder}
          inputMode={inputMode}
          onChange={(e) => {
            onChange(e.currentTarget.value);
          }}
        />
      )}
    </Labelled>
  );
}
