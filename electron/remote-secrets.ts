import { AppError } from '../core/errors.ts';
import type { SecretStore } from '../core/secrets/types.ts';
import type { Envelope } from './bridge.ts';
import { settle } from '../contract/envelope.ts';

/**
 * Electron's safeStorage works only in the main process, and the core runs in a utilityProcess. So the
 * core's secret store is a proxy: each get/set/delete is a request to main, which keeps the real store.
 */

type SecretOp = { op: 'get' | 'has' | 'delete'; key: string } | { op: 'set'; key: string; value: string };

export type SecretRequest = SecretOp & { kind: 'secret'; id: number };

/** A value for `get`, a boolean for `has` (the value itself never crosses for it), null otherwise. */
export type SecretReply = { kind: 'secret-result'; id: number; result: Envelope<string | boolean | null> };

/**
 * Long enough for the user to answer a keyring unlock prompt (GNOME Keyring, KWallet, Keychain) that the first
 * token read can raise; a store that truly hangs still ends in an error rather than a refresh stuck for good.
 */
export const SECRET_TIMEOUT_MS = 5 * 60_000;

/** The core's end: a SecretStore that asks main. */
export function remoteSecrets(label: string, send: (request: SecretRequest) => void) {
  let nextId = 1;
  const waiting = new Map<number, (result: Envelope<string | boolean | null>) => void>();
  const ask = (request: SecretOp): Promise<string | boolean | null> => {
    const id = nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        waiting.delete(id);
        reject(
          new AppError('secrets_timeout', 'the secret store did not answer', {
            hint: 'Unlock the system keyring if it asks, then try again; else restart Daily Brief',
          }),
        );
      }, SECRET_TIMEOUT_MS);
      waiting.set(id, (result) => {
        clearTimeout(timer);
        waiting.delete(id);
        if (result.ok) resolve(result.value);
        else
          reject(
            new AppError(result.error.code, result.error.message, result.error.hint ? { hint: result.error.hint } : {}),
          );
      });
      send({ kind: 'secret', id, ...request });
    });
  };
  const secrets: SecretStore = {
    label,
    get: async (key) => {
      const value = await ask({ op: 'get', key });
      return typeof value === 'string' ? value : undefined;
    },
    has: async (key) => (await ask({ op: 'has', key })) === true,
    set: async (key, value) => {
      await ask({ op: 'set', key, value });
    },
    delete: async (key) => {
      await ask({ op: 'delete', key });
    },
  };
  return {
    secrets,
    receive: (reply: SecretReply) => {
      waiting.get(reply.id)?.(reply.result);
    },
  };
}

/** Main's end: runs a request against the real store. Values never appear in an error or a log. */
export function answerSecret(store: SecretStore, request: SecretRequest): Promise<SecretReply> {
  return settle(async () => {
    if (request.op === 'get') return (await store.get(request.key)) ?? null;
    if (request.op === 'has') return store.has(request.key);
    if (request.op === 'set') await store.set(request.key, request.value);
    else await store.delete(request.key);
    return null;
  }).then((result) => ({ kind: 'secret-result', id: request.id, result }));
}
