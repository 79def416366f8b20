import { chmodSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, it, type ExpectStatic } from 'vitest';
import { accountKey, AccountRegistry } from '../../core/accounts.ts';
import { Store } from '../../core/store/store.ts';
import { imapAccount, seedAccounts } from '../helpers/accounts.ts';
import { runCli, type CliResult } from '../helpers/cli.ts';
import { startFakeKeyring, type FakeKeyring, type KeyringMode } from '../fakes/secret-service.ts';

/**
 * Every command that reaches the OS keyring, against a Secret Service on a real D-Bus wire (test/fakes) that never
 * answers: locked behind an unlock prompt nobody sees, a bus that takes the connection and says nothing, a service
 * that owns its name and ignores every call. Each command must end on its own, well before the kill below, say in
 * one line what failed and what to do, and keep what was there. The keyring module is the real one.
 */

/** The wait a command gives the keyring (KEYRING_WAIT_MS, 5 s) plus starting Node twice on a busy machine. */
const LIMIT_MS = 11_000;
const TEST_MS = 15_000;
const PASSWORD = 'pw-Secret-123';
const STORED = 'stored-Secret-456';

const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

/** `ms`: how long it ran. */
type Run = CliResult & { ms: number };

/** The real CLI, killed if it has not ended by LIMIT_MS. */
async function run(args: string[], env: Record<string, string>, input?: string): Promise<Run> {
  const started = performance.now();
  const result = await runCli(args, { TZ: 'UTC', ...env }, input, { killAfterMs: LIMIT_MS });
  return { ...result, ms: Math.round(performance.now() - started) };
}

async function setUp(mode: KeyringMode, items: Record<string, string> = { 'imap:work': STORED }) {
  const dir = mkdtempSync(join(tmpdir(), 'db-keyring-'));
  writeFileSync(
    join(dir, 'settings.json'),
    JSON.stringify({
      location: { name: 'Berlin', latitude: 52.52, longitude: 13.405, timezone: 'Europe/Berlin' },
      sources: { rss: { enabled: false }, hackernews: { enabled: false }, weather: { enabled: false } },
      llm: { provider: 'none' },
      memory: { enabled: false },
    }),
    { mode: 0o600 },
  );
  seedAccounts(dir, [{ ...imapAccount('me@example.test', '127.0.0.1'), name: 'Work' }]);
  // As the app leaves its files, so no command says it made them private.
  for (const name of readdirSync(dir)) chmodSync(join(dir, name), 0o600);
  const keyring: FakeKeyring = await startFakeKeyring(mode, items);
  cleanups.push(
    () => keyring.close(),
    () => {
      rmSync(dir, { recursive: true, force: true });
    },
  );
  const env = { ...keyring.env, XDG_STATE_HOME: join(dir, 'state') };
  const cli = (args: string[], input?: string) => run(['--data-dir', dir, ...args], env, input);
  return { dir, keyring, cli };
}

/** The accounts the data folder keeps, read as the app reads them. */
function savedAccounts(dir: string): string[] {
  const store = Store.open(dir);
  try {
    return new AccountRegistry({ getValue: (key) => store.getValue(key), putValue: () => undefined })
      .list()
      .map((account) => `${account.provider}:${accountKey(account)}`);
  } finally {
    store.close();
  }
}

const connectImap = ['connect', 'imap', '--host', '127.0.0.1', '--port', '9', '--security', 'none', '--user', 'x@y.z'];

/** What every run must show: it ended by itself, and said nothing secret. */
function ended(result: Run, expect: ExpectStatic): void {
  expect(result.signal, `still running after ${String(LIMIT_MS)} ms; stderr: ${result.stderr}`).toBeNull();
  expect(result.stdout + result.stderr).not.toContain(PASSWORD);
  expect(result.stdout + result.stderr).not.toContain(STORED);
  // No stack trace without --verbose.
  expect(result.stderr).not.toMatch(/^\s+at /m);
}

describe.concurrent('a keyring locked behind an unlock prompt nobody answers', { timeout: TEST_MS }, () => {
  it('doctor says the keyring did not answer and how to fix it, and exits', async ({ expect }) => {
    const { cli } = await setUp('locked');
    const result = await cli(['doctor']);
    ended(result, expect);
    expect(result.stdout).toMatch(
      /^! The OS keyring did not answer within 5 s \(it may be locked\) → Unlock your keyring/m,
    );
    expect(result.stdout).toMatch(/^✓ Connected: Work \(mail\)$/m);
  });

  it('accounts lists the account as stored, with one line saying the keyring did not answer', async ({ expect }) => {
    const { cli } = await setUp('locked');
    const result = await cli(['accounts']);
    ended(result, expect);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^imap:work {2}127\.0\.0\.1:993 \(tls\) {2}connected {2}/);
    expect(result.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^daily-brief: warning: the OS keyring did not answer within 5 s .*[Uu]nlock/),
    ]);
  });

  it('connect fails in one line and saves nothing', async ({ expect }) => {
    const { cli, keyring, dir } = await setUp('locked');
    const result = await cli(connectImap, `${PASSWORD}\n`);
    ended(result, expect);
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^daily-brief: the OS keyring did not answer within \d+ s .*[Uu]nlock/),
    ]);
    expect(savedAccounts(dir)).toEqual(['imap:work']);
    expect([...keyring.items]).toEqual([['imap:work', STORED]]);
  });

  it('disconnect fails in one line and keeps the account and its password', async ({ expect }) => {
    const { cli, keyring, dir } = await setUp('locked');
    const result = await cli(['disconnect', 'imap:work']);
    ended(result, expect);
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^daily-brief: the OS keyring did not answer within \d+ s .*[Uu]nlock/),
    ]);
    expect(savedAccounts(dir)).toEqual(['imap:work']);
    expect([...keyring.items]).toEqual([['imap:work', STORED]]);
  });

  it('refresh writes the brief without that account and says why; show then prints it at once', async ({ expect }) => {
    const { cli } = await setUp('locked');
    const result = await cli(['refresh']);
    ended(result, expect);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/the OS keyring did not answer within 5 s .*[Uu]nlock/);
    const show = await cli(['show']);
    ended(show, expect);
    expect(show.code).toBe(0);
    expect(show.ms).toBeLessThan(5_000);
  });
});

describe.concurrent('a session bus that takes the connection and never answers', { timeout: TEST_MS }, () => {
  it('doctor and accounts end, saying the keyring did not answer', async ({ expect }) => {
    const { cli } = await setUp('mute');
    const [doctor, accounts] = await Promise.all([cli(['doctor']), cli(['accounts'])]);
    ended(doctor, expect);
    expect(doctor.stdout).toMatch(/The OS keyring did not answer within 5 s/);
    ended(accounts, expect);
    expect(accounts.code).toBe(0);
    expect(accounts.stderr).toMatch(/^daily-brief: warning: the OS keyring did not answer within 5 s/);
  });

  it('connect fails in one line and saves nothing', async ({ expect }) => {
    const { cli } = await setUp('mute');
    const result = await cli(connectImap, `${PASSWORD}\n`);
    ended(result, expect);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^daily-brief: the OS keyring did not answer within \d+ s/);
  });
});

describe.concurrent('a Secret Service that never answers a call', { timeout: TEST_MS }, () => {
  it('accounts and doctor end within the wait', async ({ expect }) => {
    const { cli } = await setUp('silent');
    const [doctor, accounts] = await Promise.all([cli(['doctor']), cli(['accounts'])]);
    ended(doctor, expect);
    ended(accounts, expect);
    expect(accounts.ms).toBeLessThan(8_000);
  });
});

describe.concurrent('a keyring that works', { timeout: TEST_MS }, () => {
  it('accounts finds the password that is there, and says nothing else', async ({ expect }) => {
    const { cli } = await setUp('working');
    const result = await cli(['accounts']);
    ended(result, expect);
    expect(result.stdout).toMatch(/^imap:work .* connected {2}\(since/);
    // No notice: nothing timed out.
    expect(result.stderr).toBe('');
  });

  it('an account whose password is not in the keyring is connected in the other app', async ({ expect }) => {
    const { cli } = await setUp('working', {});
    const result = await cli(['accounts']);
    ended(result, expect);
    expect(result.stdout).toMatch(/^imap:work .* connected in the other app/);
  });

  it('disconnect deletes the password from the keyring', async ({ expect }) => {
    const { cli, keyring } = await setUp('working');
    const result = await cli(['disconnect', 'imap:work']);
    ended(result, expect);
    expect(result.code).toBe(0);
    expect(keyring.items.size).toBe(0);
    expect(keyring.calls).toContain('Secret.Item.Delete');
  });
});
