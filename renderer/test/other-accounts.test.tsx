import './setup.ts';
// @vitest-environment jsdom
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanup, render, screen, within } from '@testing-library/preact';
import { userEvent } from '@testing-library/user-event';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandlers } from '../../app/api.ts';
import { createDispatch } from '../../app/dispatch.ts';
import { startServe, type RunningServer } from '../../app/serve/server.ts';
import { BriefService } from '../../app/service.ts';
import { fixedClock } from '../../core/clock.ts';
import { silentLogger } from '../../core/log.ts';
import { calendar } from '../../test/fixtures/calendars/events.ts';
import { startServer, type LocalServer } from '../../test/fakes/server.ts';
import { startDovecot, type Dovecot } from '../../test/servers/dovecot.ts';
import { App } from '../src/App.tsx';
import { httpClient } from '../src/client/http.ts';

const USER = 'alice@example.test';
const PASSWORD = 'alice-app-password';
// The private part of a calendar link: whoever has it reads the calendar, so it must stay in the secret store.
const ICS_TOKEN = 'b7f3c2-private-token';

let dovecot: Dovecot;
let ics: LocalServer;
let dir: string;
let service: BriefService;
let server: RunningServer;
const savedEnv = { keyring: process.env.DAILY_BRIEF_NO_KEYRING, state: process.env.XDG_STATE_HOME };

beforeAll(async () => {
  dovecot = await startDovecot({ [USER]: PASSWORD });
  ics = await startServer((req, res) => {
    if (!req.url?.includes(ICS_TOKEN)) {
      res.writeHead(404);
      res.end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/calendar', etag: '"v1"' });
    res.end(
      calendar(`BEGIN:VEVENT
UID:holiday@example.test
DTSTAMP:20250101T000000Z
DTSTART;VALUE=DATE:20261202
SUMMARY:Bank holiday
END:VEVENT`),
    );
  });
  dir = mkdtempSync(join(tmpdir(), 'db-other-accounts-'));
  writeFileSync(
    join(dir, 'settings.json'),
    JSON.stringify({
      location: { name: 'Berlin', latitude: 52.52, longitude: 13.405, timezone: 'Europe/Berlin' },
      secrets: { allowFileStore: true },
      sources: { rss: { enabled: false }, hackernews: { enabled: false }, weather: { enabled: false } },
      llm: { provider: 'none' },
    }),
  );
  // Secrets go to the encrypted file store in a temporary state folder, never the machine's keyring.
  process.env.DAILY_BRIEF_NO_KEYRING = '1';
  process.env.XDG_STATE_HOME = join(dir, 'state');
  service = new BriefService({
    dataDir: dir,
    clock: fixedClock('2026-12-01T06:00:00.000Z'),
    memory: false,
    log: silentLogger,
  });
  server = await startServe({
    dispatch: createDispatch(createHandlers(service)),
    subscribe: (listener) => service.watch(listener),
    rendererDir: dir,
    host: '127.0.0.1',
    port: 0,
  });
});

afterAll(async () => {
  cleanup();
  await server.close();
  service.close();
  await Promise.all([dovecot.stop(), ics.close()]);
  process.env.DAILY_BRIEF_NO_KEYRING = savedEnv.keyring;
  process.env.XDG_STATE_HOME = savedEnv.state;
  if (savedEnv.keyring === undefined) delete process.env.DAILY_BRIEF_NO_KEYRING;
  if (savedEnv.state === undefined) delete process.env.XDG_STATE_HOME;
  rmSync(dir, { recursive: true, force: true });
});

/** Every file the app wrote, except the encrypted secret store, as text. */
function plainFiles(): string {
  const texts: string[] = [];
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile() && entry.name !== 'secrets.enc.json') {
      texts.push(readFileSync(join(entry.parentPath, entry.name)).toString('latin1'));
    }
  }
  return texts.join('\n');
}

describe('IMAP, CalDAV and ICS accounts in settings', { timeout: 60_000 }, () => {
  it('adds an ICS link and an IMAP mailbox (a wrong password saves nothing), and removes one', async () => {
    const client = httpClient({ baseUrl: `http://127.0.0.1:${server.port}`, token: server.token });
    render(<App client={client} now={() => new Date('2026-12-01T06:00:00.000Z')} />);
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Settings' }));
    expect(await screen.findByText(/No account connected/, {}, { timeout: 10_000 })).toBeTruthy();
    expect(screen.getByText(/Outlook\.com and Microsoft 365 need Microsoft’s own sign-in \(OAuth\)/)).toBeTruthy();
    const form = screen.getByRole('form', { name: 'Add a mail or calendar account' });

    // A preset fills in the server and says where its app passwords are made.
    await user.selectOptions(within(form).getByLabelText('Provider'), 'Proton Mail Bridge');
    expect(within(form).getByLabelText<HTMLInputElement>('Server').value).toBe('127.0.0.1');
    expect(within(form).getByLabelText<HTMLInputElement>('Port').value).toBe('1143');
    expect(within(form).getByLabelText<HTMLSelectElement>('Security').value).toBe('starttls');
    expect(within(form).getByRole('link', { name: 'About Proton Mail Bridge' }).getAttribute('href')).toMatch(
      /^https:\/\/proton\.me\//,
    );
    await user.selectOptions(within(form).getByLabelText('Provider'), 'Fastmail');
    expect(within(form).getByLabelText<HTMLInputElement>('Server').value).toBe('imap.fastmail.com');
    expect(within(form).getByRole('link', { name: 'Make an app password in Fastmail' })).toBeTruthy();

    // ICS: the link is all it needs.
    await user.selectOptions(within(form).getByLabelText('Kind'), 'Calendar link (ICS)');
    await user.type(within(form).getByLabelText('Calendar link'), `${ics.baseUrl}/cal/${ICS_TOKEN}/basic.ics`);
    await user.type(within(form).getByLabelText('Name (optional)'), 'Holidays');
    await user.click(within(form).getByRole('button', { name: 'Test and add' }));
    expect(
      await screen.findByText('Added Holidays (127.0.0.1); the next refresh reads it.', {}, { timeout: 20_000 }),
    ).toBeTruthy();
    expect(ics.requests.some((r) => r.path.includes(ICS_TOKEN))).toBe(true);
    const list = () => screen.getByRole('list', { name: 'Connected accounts' });
    expect(await within(list()).findByText('Holidays (127.0.0.1)', {}, { timeout: 10_000 })).toBeTruthy();
    expect(within(form).getByLabelText<HTMLInputElement>('Calendar link').value).toBe('');

    // IMAP against the real Dovecot: first a wrong password, one sentence, nothing kept.
    await user.selectOptions(within(form).getByLabelText('Kind'), 'Mail (IMAP)');
    await user.selectOptions(within(form).getByLabelText('Provider'), 'Another server');
    await user.type(within(form).getByLabelText('Server'), '127.0.0.1');
    await user.clear(within(form).getByLabelText('Port'));
    await user.type(within(form).getByLabelText('Port'), String(dovecot.port));
    await user.selectOptions(within(form).getByLabelText('Security'), 'none');
    await user.type(within(form).getByLabelText('User name'), USER);
    await user.type(within(form).getByLabelText('Password'), 'wrong-password');
    await user.click(within(form).getByRole('button', { name: 'Test and add' }));
    const alert = await screen.findByRole('alert', {}, { timeout: 20_000 });
    expect(alert.textContent).toBe(
      `127.0.0.1 refused the user name or password for ${USER}; check both, and use an app password where the provider makes one.`,
    );
    expect(service.accounts.list().map((a) => a.provider)).toEqual(['ics']);

    await user.clear(within(form).getByLabelText('Password'));
    await user.type(within(form).getByLabelText('Password'), PASSWORD);
    await user.type(within(form).getByLabelText('Name (optional)'), 'Work');
    await user.click(within(form).getByRole('button', { name: 'Test and add' }));
    expect(
      await screen.findByText(`Added Work (${USER}); the next refresh reads it.`, {}, { timeout: 20_000 }),
    ).toBeTruthy();
    expect(await within(list()).findByText(`Work (${USER})`, {}, { timeout: 10_000 })).toBeTruthy();
    expect(within(list()).getByText(`Mail · 127.0.0.1:${String(dovecot.port)} (none)`)).toBeTruthy();
    expect(within(form).getByLabelText<HTMLInputElement>('Password').value).toBe('');
    expect(service.accounts.list().map((a) => `${a.provider}:${a.name ?? ''}`)).toEqual(['ics:Holidays', 'imap:Work']);

    // Neither the password nor the calendar link is anywhere but the encrypted secret store.
    const written = plainFiles();
    expect(written).not.toContain(PASSWORD);
    expect(written).not.toContain(ICS_TOKEN);
    expect(readFileSync(join(dir, 'secrets.enc.json'), 'utf8')).not.toContain(PASSWORD);

    await user.click(within(list()).getByRole('button', { name: `Disconnect Work (${USER})` }));
    expect(await screen.findByText(`Disconnected Work (${USER}).`, {}, { timeout: 20_000 })).toBeTruthy();
    expect(within(list()).queryByText(`Work (${USER})`)).toBeNull();
    expect(within(list()).getByText('Holidays (127.0.0.1)')).toBeTruthy();
    expect(service.accounts.list().map((a) => a.provider)).toEqual(['ics']);
    expect(readFileSync(join(dir, 'secrets.enc.json'), 'utf8')).not.toContain('imap:work');
  });
});
