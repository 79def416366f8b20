import './setup.ts';
// @vitest-environment jsdom
import { rmSync } from 'node:fs';
import { cleanup, render, screen, within } from '@testing-library/preact';
import { userEvent } from '@testing-library/user-event';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandlers } from '../../app/api.ts';
import { createDispatch } from '../../app/dispatch.ts';
import { fixedClock } from '../../core/clock.ts';
import { silentLogger } from '../../core/log.ts';
import { startServe, type RunningServer } from '../../app/serve/server.ts';
import { BriefService } from '../../app/service.ts';
import { fakeAccount, startGoogleServer, type FakeGoogle } from '../../test/fakes/google-server.ts';
import { googleDataDir } from '../../test/helpers/google.ts';
import { App } from '../src/App.tsx';
import { httpClient } from '../src/client/http.ts';

let fake: FakeGoogle;
let dirs: { dir: string; stateDir: string };
let service: BriefService;
let server: RunningServer;
const savedEnv = { keyring: process.env.DAILY_BRIEF_NO_KEYRING, state: process.env.XDG_STATE_HOME };

beforeAll(async () => {
  fake = await startGoogleServer();
  fake.accounts.set('you@example.com', fakeAccount('you@example.com'));
  dirs = googleDataDir(fake);
  // Tokens go to the encrypted file store in a temporary state folder, never the machine's keyring.
  process.env.DAILY_BRIEF_NO_KEYRING = '1';
  process.env.XDG_STATE_HOME = dirs.stateDir;
  service = new BriefService({
    dataDir: dirs.dir,
    clock: fixedClock('2026-12-01T06:00:00.000Z'),
    memory: false,
    log: silentLogger,
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
  await fake.close();
  process.env.DAILY_BRIEF_NO_KEYRING = savedEnv.keyring;
  process.env.XDG_STATE_HOME = savedEnv.state;
  if (savedEnv.keyring === undefined) delete process.env.DAILY_BRIEF_NO_KEYRING;
  if (savedEnv.state === undefined) delete process.env.XDG_STATE_HOME;
  rmSync(dirs.dir, { recursive: true, force: true });
  rmSync(dirs.stateDir, { recursive: true, force: true });
});

describe('Google accounts in settings', () => {
  it('connects through the browser consent, lists the account, and disconnects it (revoking the grant)', async () => {
    const client = httpClient({ baseUrl: `http://127.0.0.1:${server.port}`, token: server.token });
    render(<App client={client} now={() => new Date('2026-12-01T06:00:00.000Z')} />);
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Settings' }));
    expect(await screen.findByText(/No account connected/, {}, { timeout: 10_000 })).toBeTruthy();
    fake.consentAs = 'you@example.com';
    await user.click(screen.getByRole('button', { name: 'Connect a Google account' }));
    expect(await screen.findByText('Connected you@example.com.', {}, { timeout: 10_000 })).toBeTruthy();
    const list = screen.getByRole('list', { name: 'Connected accounts' });
    expect(within(list).getByText('you@example.com')).toBeTruthy();
    expect(within(list).getByText('connected')).toBeTruthy();
    expect(service.accounts.list().map((a) => a.address)).toEqual(['you@example.com']);

    await user.click(screen.getByRole('button', { name: 'Disconnect you@example.com' }));
    expect(await screen.findByText('Disconnected you@example.com.', {}, { timeout: 10_000 })).toBeTruthy();
    expect(screen.queryByRole('list', { name: 'Connected accounts' })).toBeNull();
    expect(fake.revoked.length).toBe(1);
  });
});
