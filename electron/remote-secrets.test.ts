import { MessageChannel } from 'node:worker_threads';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AppError } from '../core/errors.ts';
import type { SecretStore } from '../core/secrets/types.ts';
import {
  answerSecret,
  remoteSecrets,
  SECRET_TIMEOUT_MS,
  type SecretReply,
  type SecretRequest,
} from './remote-secrets.ts';

function memoryStore(): SecretStore & { values: Map<string, string> } {
  const values = new Map<string, string>();
  return {
    values,
    label: 'memory',
    get: (key) => Promise.resolve(values.get(key)),
    has: (key) => Promise.resolve(values.has(key)),
    set: (key, value) => {
      if (key === 'locked')
        return Promise.reject(new AppError('no_keyring', 'the keyring is locked', { hint: 'Unlock it' }));
      values.set(key, value);
      return Promise.resolve();
    },
    delete: (key) => {
      values.delete(key);
      return Promise.resolve();
    },
  };
}

describe('secrets from the core process, kept by main', () => {
  it('get, set and delete go through the port to the real store', async () => {
    const { port1: core, port2: main } = new MessageChannel();
    const store = memoryStore();
    main.on('message', (request: SecretRequest) => {
      void answerSecret(store, request).then((reply) => {
        main.postMessage(reply);
      });
    });
    const remote = remoteSecrets('Electron safeStorage (via the app)', (request) => {
      core.postMessage(request);
    });
    core.on('message', (reply: SecretReply) => {
      remote.receive(reply);
    });
    const { secrets } = remote;
    expect(await secrets.get('google:me@example.com')).toBeUndefined();
    await secrets.set('google:me@example.com', 'refresh-token-1');
    expect(store.values.get('google:me@example.com')).toBe('refresh-token-1');
    expect(await secrets.get('google:me@example.com')).toBe('refresh-token-1');
    await secrets.delete('google:me@example.com');
    expect(store.values.size).toBe(0);
    // The store's own one-line error and fix come back, and the value is in neither.
    const failed = await secrets.set('locked', 'secret-value').catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(AppError);
    expect((failed as AppError).oneLine()).toBe('the keyring is locked. Unlock it');
    expect(JSON.stringify(failed)).not.toContain('secret-value');
    core.close();
  });

  it('says whether a secret is there without it crossing the port', async () => {
    const { port1: core, port2: main } = new MessageChannel();
    const store = memoryStore();
    store.values.set('google:me@example.com', 'refresh-token-1');
    const read = vi.spyOn(store, 'get');
    const replies: SecretReply[] = [];
    main.on('message', (request: SecretRequest) => {
      void answerSecret(store, request).then((reply) => {
        replies.push(reply);
        main.postMessage(reply);
      });
    });
    const remote = remoteSecrets('OS keyring', (request) => {
      core.postMessage(request);
    });
    core.on('message', (reply: SecretReply) => {
      remote.receive(reply);
    });
    expect(await remote.secrets.has('google:me@example.com')).toBe(true);
    expect(await remote.secrets.has('google:other@example.com')).toBe(false);
    expect(replies.map((reply) => reply.result)).toEqual([
      { ok: true, value: true },
      { ok: true, value: false },
    ]);
    expect(read).not.toHaveBeenCalled();
    core.close();
  });

  describe('while the keyring asks to be unlocked', () => {
    afterEach(() => {
      vi.useRealTimers();
    });

    it('waits minutes for the answer, then gives up with the fix', async () => {
      vi.useFakeTimers();
      const sent: SecretRequest[] = [];
      const remote = remoteSecrets('Electron safeStorage', (request) => sent.push(request));
      const slow = remote.secrets.get('google:me@example.com');
      // The user takes two minutes to type the keyring password.
      await vi.advanceTimersByTimeAsync(2 * 60_000);
      remote.receive({ kind: 'secret-result', id: sent[0]?.id ?? 0, result: { ok: true, value: 'token' } });
      expect(await slow).toBe('token');
      const never = remote.secrets.get('google:me@example.com').catch((error: unknown) => error);
      await vi.advanceTimersByTimeAsync(SECRET_TIMEOUT_MS);
      expect(((await never) as AppError).code).toBe('secrets_timeout');
      expect(SECRET_TIMEOUT_MS).toBeGreaterThanOrEqual(2 * 60_000);
    });
  });
});
