import { AsyncEntry } from '@napi-rs/keyring';
import { AppError, describeError } from '../errors.ts';
import type { KeyringAnswer, KeyringOp } from './keyring-process.ts';
import type { SecretStore } from './types.ts';

const SERVICE = 'daily-brief';
const PROBE_KEY = 'daily-brief-probe';

/** The OS keyring: macOS Keychain, Windows Credential Manager, the Secret Service (GNOME Keyring, KWallet) on Linux. */
export function keyringStore(service = SERVICE): SecretStore {
  const entry = (key: string) => new AsyncEntry(service, key);
  return {
    label: 'OS keyring',
    get: async (key) => (await guarded('read', () => entry(key).getPassword())) ?? undefined,
    // The keyring has no presence query: the value is read, and only whether there was one leaves here.
    has: async (key) => (await guarded('read', () => entry(key).getPassword())) != null,
    set: async (key, value) => {
      await guarded('write', () => entry(key).setPassword(value));
    },
    delete: async (key) => {
      await guarded('delete', () => entry(key).deletePassword());
    },
  };
}

/**
 * Reading a missing entry succeeds even where no keyring can be reached, so the only honest test is a write:
 * a throwaway entry is written, read back and removed. Undefined when that works, else the reason.
 */
export async function keyringUnavailable(service = SERVICE): Promise<string | undefined> {
  const probe = new AsyncEntry(service, PROBE_KEY);
  const value = `probe-${String(process.pid)}`;
  try {
    await probe.setPassword(value);
    const back = await probe.getPassword();
    await probe.deletePassword();
    return back === value ? undefined : 'the keyring did not return what was written';
  } catch (error) {
    return describeError(error);
  }
}

/**
 * One call as the CLI's keyring helper (keyring-host.ts) and the desktop app's core process make it. Never
 * rejects: a failure is an answer, with the one line the user will see.
 */
export async function keyringCall(op: KeyringOp): Promise<KeyringAnswer> {
  try {
    const store = keyringStore();
    switch (op.op) {
      case 'probe':
        return { ok: true, value: (await keyringUnavailable()) ?? null };
      case 'get':
        return { ok: true, value: (await store.get(op.key)) ?? null };
      case 'has':
        return { ok: true, value: await store.has(op.key) };
      case 'set':
        await store.set(op.key, op.value);
        return { ok: true, value: null };
      case 'delete':
        await store.delete(op.key);
        return { ok: true, value: null };
    }
  } catch (error) {
    const failure =
      error instanceof AppError
        ? error
        : new AppError('keyring', `the OS keyring failed (${describeError(error)})`, { cause: error });
    return { ok: false, code: failure.code, message: failure.message, ...(failure.hint ? { hint: failure.hint } : {}) };
  }
}

async function guarded<T>(what: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw new AppError('keyring', `could not ${what} a token in the OS keyring (${describeError(error)})`, {
      hint: 'Unlock the keyring (GNOME Keyring, KWallet, Keychain) and try again',
      cause: error,
    });
  }
}
