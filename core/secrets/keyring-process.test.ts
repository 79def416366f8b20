import { afterEach, describe, expect, it } from 'vitest';
import { startFakeKeyring, type FakeKeyring, type KeyringMode } from '../../test/fakes/secret-service.ts';
import { AppError } from '../errors.ts';
import { openKeyring, type Keyring } from './keyring-process.ts';

/**
 * The CLI's keyring, through its helper process and the real keyring module, against a Secret Service on a real
 * D-Bus wire (test/fakes/secret-service.ts). The helper inherits this process's environment: the fake's bus.
 */
const WAIT_MS = 400;
const opened: { keyring: Keyring; fake: FakeKeyring }[] = [];
const saved = process.env.DBUS_SESSION_BUS_ADDRESS;

afterEach(async () => {
  for (const { keyring, fake } of opened.splice(0)) {
    keyring.close();
    await fake.close();
  }
  if (saved === undefined) delete process.env.DBUS_SESSION_BUS_ADDRESS;
  else process.env.DBUS_SESSION_BUS_ADDRESS = saved;
});

async function open(mode: KeyringMode, items: Record<string, string> = {}) {
  const fake = await startFakeKeyring(mode, items);
  process.env.DBUS_SESSION_BUS_ADDRESS = fake.env.DBUS_SESSION_BUS_ADDRESS;
  const keyring = openKeyring({ waitMs: WAIT_MS });
  opened.push({ keyring, fake });
  return { fake, keyring };
}

/** The rejection, timed. */
async function failure(promise: Promise<unknown>): Promise<{ error: AppError; ms: number }> {
  const started = performance.now();
  const error = await promise.then(
    () => new Error('it answered'),
    (e: unknown) => e,
  );
  if (!(error instanceof AppError)) throw error;
  return { error, ms: performance.now() - started };
}

describe('the OS keyring through its helper process', { timeout: 10_000 }, () => {
  it('keeps, reads, finds and deletes a secret in a keyring that works', async () => {
    const { keyring, fake } = await open('working');
    expect(await keyring.unavailable()).toBeUndefined();
    await keyring.store.set('imap:work', 'pw-123');
    expect(fake.items.get('imap:work')).toBe('pw-123');
    expect(await keyring.store.get('imap:work')).toBe('pw-123');
    expect(await keyring.store.has('imap:work')).toBe(true);
    await keyring.store.delete('imap:work');
    expect(await keyring.store.has('imap:work')).toBe(false);
    expect(await keyring.store.get('imap:work')).toBeUndefined();
  });

  it('fails a call the keyring never answers after the wait, in one line, and asks again on the next', async () => {
    const { keyring, fake } = await open('locked', { 'imap:work': 'pw-123' });
    const { error, ms } = await failure(keyring.store.get('imap:work'));
    expect(error.code).toBe('secrets_timeout');
    expect(error.oneLine()).toMatch(/^the OS keyring did not answer within 400 ms .*\. Unlock the keyring/);
    expect(error.oneLine()).not.toContain('pw-123');
    expect(ms).toBeGreaterThanOrEqual(WAIT_MS - 50);
    expect(ms).toBeLessThan(WAIT_MS + 1_000);
    // The stuck helper was stopped; once the keyring is unlocked, a new one answers.
    fake.setMode('working');
    expect(await keyring.store.get('imap:work')).toBe('pw-123');
  });

  it('a write that gets no answer fails and keeps nothing', async () => {
    const { keyring, fake } = await open('locked');
    const { error } = await failure(keyring.store.set('imap:new', 'pw-new'));
    expect(error.code).toBe('secrets_timeout');
    expect(fake.items.has('imap:new')).toBe(false);
  });

  it('a bus that takes the connection and never answers holds only the helper, which is stopped', async () => {
    const { keyring } = await open('mute');
    const { error, ms } = await failure(keyring.unavailable());
    expect(error.code).toBe('secrets_timeout');
    expect(ms).toBeLessThan(WAIT_MS + 1_000);
  });

  it('close() ends the calls still waiting at once', async () => {
    const fake = await startFakeKeyring('locked', { 'imap:work': 'pw-123' });
    process.env.DBUS_SESSION_BUS_ADDRESS = fake.env.DBUS_SESSION_BUS_ADDRESS;
    const keyring = openKeyring({ waitMs: 60_000 });
    opened.push({ keyring, fake });
    const waiting = failure(keyring.store.has('imap:work'));
    await new Promise((resolve) => setTimeout(resolve, 300));
    keyring.close();
    const { error, ms } = await waiting;
    expect(error.code).toBe('aborted');
    expect(ms).toBeLessThan(1_000);
    await expect(keyring.store.get('imap:work')).rejects.toThrow(/closed/);
  });
});
