import './setup.ts';
// @vitest-environment jsdom
import { rmSync } from 'node:fs';
import { cleanup, render, screen, within } from '@testing-library/preact';
import { userEvent } from '@testing-library/user-event';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandlers } from '../../app/api.ts';
import { createDispatch } from '../../app/dispatch.ts';
import { startServe, type RunningServer } from '../../app/serve/server.ts';
import { BriefService } from '../../app/service.ts';
import { AccountRegistry } from '../../core/accounts.ts';
import { fixedClock } from '../../core/clock.ts';
import { silentLogger } from '../../core/log.ts';
import type { SecretStore } from '../../core/secrets/types.ts';
import { Store } from '../../core/store/store.ts';
import { fakeAccount, startGoogleServer, type FakeGoogle } from '../../test/fakes/google-server.ts';
import { googleDataDir } from '../../test/helpers/google.ts';
import { startDovecot, type Dovecot } from '../../test/servers/dovecot.ts';
import { App } from '../src/App.tsx';
import { httpClient } from '../src/client/http.ts';

const NOW = '2026-12-01T06:00:00.000Z';
const USER = 'alice@example.test';
const PASSWORD = 'alice-app-password';

/**
 * One account list, two secret stores: the accounts were connected in the other app (its store has their secrets,
 * this app's has none). Settings says so, and one button connects each here: Google through its consent page
 * again, the mailbox with its password asked again (checked against a real Dovecot).
 */
let fake: FakeGoogle;
let dovecot: Dovecot;
let dirs: { dir: string; stateDir: string };
let service: BriefService;
let server: RunningServer;
const kept = new Map<string, string>();

beforeAll(async () => {
  [fake, dovecot] = await Promise.all([startGoogleServer(), startDovecot({ [USER]: PASSWORD })]);
  fake.accounts.set('you@example.com', fakeAccount('you@example.com'));
  dirs = googleDataDir(fake);
  const store = Store.open(dirs.dir);
  const registry = new AccountRegistry({
    getValue: (key) => store.getValue(key),
    putValue: (key, value) => {
      store.putValue(key, value, NOW);
    },
  });
  registry.upsert({ provider: 'google', address: 'you@example.com', status: 'connected', connectedAt: NOW });
  registry.upsert({
    provider: 'imap',
    address: USER,
    name: 'Work',
    status: 'connected',
    connectedAt: NOW,
    imap: { host: '127.0.0.1', port: dovecot.port, security: 'none', user: USER, mailbox: 'INBOX' },
  });
  store.close();
  // This app's secret store, empty: the other app keeps the secrets.
  const secrets: SecretStore = {
    label: 'this app',
    get: (key) => Promise.resolve(kept.get(key)),
    has: (key) => Promise.resolve(kept.has(key)),
    set: (key, value) => Promise.resolve(void kept.set(key, value)),
    delete: (key) => Promise.resolve(void kept.delete(key)),
  };
  service = new BriefService({
    dataDir: dirs.dir,
    clock: fixedClock(NOW),
    memory: false,
    log: silentLogger,
    secrets,
    // The "system browser": it loads Google's consent page, which redirects to the app's loopback.
    openUrl: (url) => {
      void fetch(url);
    },
  });
  server = await startServe({
    dispatch: createDispatch(createHandlers(service)),
    subscribe: (listener) => service.watch(listener),
    rendererDir: dirs.dir,
    host: '127.0.0.1',
    port: 0,
  });
});

afterAll(async () => {
  cleanup();
  await server.close();
  service.close();
  await Promise.all([fake.close(), dovecot.stop()]);
  rmSync(dirs.dir, { recursive: true, force: true });
  rmSync(dirs.stateDir, { recursive: true, force: true });
});

describe('accounts connected in the other app', { timeout: 60_000 }, () => {
  it('says so, and one button connects each here: Google by its consent page, the mailbox by its password', async () => {
    const client = httpClient({ baseUrl: `http://127.0.0.1:${server.port}`, token: server.token });
    render(<App client={client} now={() => new Date(NOW)} />);
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Settings' }));
    const list = await screen.findByRole('list', { name: 'Connected accounts' }, { timeout: 10_000 });
    const row = (label: string) => {
      const item = within(list)
        .getAllByRole('listitem')
        .find((li) => li.textContent.startsWith(label));
      if (!item) throw new Error(`no row for ${label}`);
      return item;
    };
    expect(within(row('you@example.com')).getByText('connected in the other app')).toBeTruthy();
    expect(within(row('Work (alice@example.test)')).getByText('connected in the other app')).toBeTruthy();

    // The mailbox: its password is asked for, checked with the server, and kept in this app's store.
    await user.click(screen.getByRole('button', { name: 'Connect Work (alice@example.test) here' }));
    const form = screen.getByRole('form', { name: 'Connect Work (alice@example.test) here' });
    // The one thing left to do is to type the password: the field has the focus.
    expect(document.activeElement).toBe(within(form).getByLabelText('Password for Work (alice@example.test)'));
    await user.type(within(form).getByLabelText('Password for Work (alice@example.test)'), 'wrong-password');
    await user.click(within(form).getByRole('button', { name: 'Connect' }));
    expect((await screen.findByRole('alert', {}, { timeout: 20_000 })).textContent).toMatch(
      /^127\.0\.0\.1 refused the user name or password for alice@example\.test; check both/,
    );
    expect(kept.has('imap:work')).toBe(false);
    await user.clear(within(form).getByLabelText('Password for Work (alice@example.test)'));
    await user.type(within(form).getByLabelText('Password for Work (alice@example.test)'), PASSWORD);
    await user.click(within(form).getByRole('button', { name: 'Connect' }));
    expect(
      await screen.findByText('Work (alice@example.test) is connected here too.', {}, { timeout: 20_000 }),
    ).toBeTruthy();
    expect(kept.get('imap:work')).toBe(PASSWORD);
    expect(within(row('Work (alice@example.test)')).getByText('connected')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Connect Work (alice@example.test) here' })).toBeNull();
    expect(screen.queryByRole('form', { name: 'Connect Work (alice@example.test) here' })).toBeNull();

    // Google: the consent page again, in the browser.
    fake.consentAs = 'you@example.com';
    await user.click(screen.getByRole('button', { name: 'Connect you@example.com here' }));
    expect(await screen.findByText('Connected you@example.com.', {}, { timeout: 20_000 })).toBeTruthy();
    expect(kept.has('google:you@example.com')).toBe(true);
    expect(within(row('you@example.com')).getByText('connected')).toBeTruthy();
    expect(screen.queryByText('connected in the other app')).toBeNull();
    expect(document.body.textContent).not.toContain(PASSWORD);
  });
});
