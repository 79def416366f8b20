import { spawn, type ChildProcess } from 'node:child_process';
import { getCompileCacheDir } from 'node:module';
import { join } from 'node:path';
import { AppError, describeError, type ErrorCode } from '../errors.ts';
import { settleWithin } from '../settle.ts';
import type { SecretStore } from './types.ts';

/**
 * How long one keyring call may take: opening (the probe), a read or a write. A locked keyring asks to be unlocked
 * and waits for as long as its prompt is shown, which is for ever when nobody sees it (a headless session, another
 * seat), and a session bus that is stuck never answers at all; past this the keyring is "not available right now".
 */
export const KEYRING_WAIT_MS = 5_000;

/** One keyring call: `probe` writes, reads back and removes a throwaway entry (see `keyringUnavailable`). */
export type KeyringOp =
  { op: 'probe' } | { op: 'get' | 'has' | 'delete'; key: string } | { op: 'set'; key: string; value: string };
/** Its outcome: a failure is an answer too, with the words the user will see. */
export type KeyringAnswer =
  { ok: true; value: string | boolean | null } | { ok: false; code: ErrorCode; message: string; hint?: string };
/** On the IPC channel between the CLI and the helper. */
export type KeyringRequest = { id: number } & KeyringOp;
export type KeyringReply = { id: number } & KeyringAnswer;

/** The OS keyring as the CLI reaches it: whether it can keep secrets, the store, and its release. */
export interface Keyring {
  /** Why there is no usable keyring, undefined when there is one; rejects with `secrets_timeout` when it is silent. */
  unavailable(): Promise<string | undefined>;
  /** Every call bounded like `unavailable()`: a silent keyring fails it with `secrets_timeout`, and keeps nothing. */
  readonly store: SecretStore;
  /** Stops what is still running (the helper process); later calls fail. Also done when `signal` aborts. */
  close(): void;
}

export interface KeyringOptions {
  waitMs?: number;
  signal?: AbortSignal;
}

/** One line that says what failed and what to do; no key, no value. */
export function keyringTimeout(waitMs: number): AppError {
  return new AppError(
    'secrets_timeout',
    `the OS keyring did not answer within ${waitMs < 1000 ? `${String(waitMs)} ms` : `${String(Math.round(waitMs / 1000))} s`} (it may be locked, waiting on an unlock prompt, or its Secret Service is not responding)`,
    {
      hint: 'Unlock the keyring (GNOME Keyring, KWallet, Keychain) or check that its Secret Service is running, then try again',
    },
  );
}

/**
 * The keyring through a helper process (keyring-host.ts), so a keyring that never answers cannot hold the CLI: its
 * module connects to D-Bus on the JavaScript thread and waits on unlock prompts in the thread pool, and neither
 * can be cut short or left behind in-process. The helper is not waited for when the CLI ends (unref'd) and is
 * killed on a timeout, on `close()` and on exit. Inside Electron (the desktop app's core process, where
 * `process.execPath` is not Node) the module runs in-process, each call bounded all the same.
 */
export function openKeyring(options: KeyringOptions = {}): Keyring {
  const waitMs = options.waitMs ?? KEYRING_WAIT_MS;
  const keyring = process.versions.electron ? new InProcessKeyring(waitMs) : new KeyringProcess(waitMs);
  options.signal?.addEventListener('abort', () => {
    keyring.close();
  });
  if (options.signal?.aborted) keyring.close();
  return keyring;
}

abstract class BoundedKeyring implements Keyring {
  readonly store: SecretStore;
  protected closed = false;
  protected readonly waitMs: number;

  constructor(waitMs: number) {
    this.waitMs = waitMs;
    this.store = {
      label: 'OS keyring',
      get: async (key) => {
        const value = await this.call({ op: 'get', key });
        return typeof value === 'string' ? value : undefined;
      },
      has: async (key) => (await this.call({ op: 'has', key })) === true,
      set: async (key, value) => {
        await this.call({ op: 'set', key, value });
      },
      delete: async (key) => {
        await this.call({ op: 'delete', key });
      },
    };
  }

  async unavailable(): Promise<string | undefined> {
    const reason = await this.call({ op: 'probe' });
    return typeof reason === 'string' ? reason : undefined;
  }

  close(): void {
    this.closed = true;
  }

  /** The answer, or the failure as an AppError; a timeout stops whatever is still waiting on the keyring. */
  private async call(op: KeyringOp): Promise<string | boolean | null> {
    if (this.closed) throw new AppError('aborted', 'the OS keyring was closed (Daily Brief is stopping)');
    const reply = await settleWithin(this.ask(op), this.waitMs);
    if (!reply) {
      this.timedOut();
      throw keyringTimeout(this.waitMs);
    }
    if (!reply.ok) throw new AppError(reply.code, reply.message, reply.hint ? { hint: reply.hint } : {});
    return reply.value;
  }

  /** Never rejects: a failure is a reply with `ok: false`. */
  protected abstract ask(op: KeyringOp): Promise<KeyringAnswer>;
  protected abstract timedOut(): void;
}

/** Every live helper, killed when this process exits however it ends (a timer may still be pending on one). */
const helpers = new Set<ChildProcess>();
let killOnExit = false;

class KeyringProcess extends BoundedKeyring {
  private child: ChildProcess | undefined;
  private readonly waiting = new Map<number, (answer: KeyringAnswer) => void>();
  private next = 1;

  protected ask(op: KeyringOp): Promise<KeyringAnswer> {
    const id = this.next++;
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      const request: KeyringRequest = { id, ...op };
      this.helper().send(request, (error) => {
        if (!error) return;
        const message = `could not reach the keyring helper (${error.message})`;
        this.answer({ id, ok: false, code: 'keyring', message });
      });
    });
  }

  protected timedOut(): void {
    this.stop(keyringTimeout(this.waitMs));
  }

  override close(): void {
    super.close();
    this.stop(new AppError('aborted', 'the OS keyring was closed (Daily Brief is stopping)'));
  }

  private answer(reply: KeyringReply): void {
    const waiter = this.waiting.get(reply.id);
    this.waiting.delete(reply.id);
    waiter?.(reply);
  }

  /** Kills the helper; whatever still waits on it gets `why`. A later call starts a new one. */
  private stop(why: AppError): void {
    const child = this.child;
    this.child = undefined;
    if (child) {
      helpers.delete(child);
      child.kill('SIGKILL');
    }
    const reply = { ok: false as const, code: why.code, message: why.message, ...(why.hint ? { hint: why.hint } : {}) };
    for (const id of [...this.waiting.keys()]) this.answer({ id, ...reply });
  }

  private helper(): ChildProcess {
    if (this.child) return this.child;
    // The same Node runs the helper's TypeScript; one older than 22.18 strips types only when asked.
    const flags = process.features.typescript
      ? []
      : ['--experimental-strip-types', '--disable-warning=ExperimentalWarning'];
    // The helper's output is not read: the IPC channel carries every answer, and nothing a module prints can leak.
    // The CLI's compiled-code cache (cli/daily-brief.js) spares the helper stripping its TypeScript again: ~0.1 s.
    const cache = getCompileCacheDir();
    const child = spawn(process.execPath, [...flags, join(import.meta.dirname, 'keyring-host.ts')], {
      stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
      ...(cache ? { env: { ...process.env, NODE_COMPILE_CACHE: cache } } : {}),
    });
    // A pending call's own timer keeps the CLI alive while it waits; the helper never does.
    child.unref();
    child.channel?.unref();
    child.on('message', (reply: KeyringReply) => {
      this.answer(reply);
    });
    const gone = (why: string) => {
      if (this.child !== child) return;
      this.stop(new AppError('keyring', `the keyring helper stopped (${why})`, { hint: 'Try again' }));
    };
    child.on('error', (error) => {
      gone(error.message);
    });
    child.on('exit', (code, signal) => {
      gone(signal ?? `exit code ${String(code)}`);
    });
    helpers.add(child);
    if (!killOnExit) {
      killOnExit = true;
      process.on('exit', () => {
        for (const helper of helpers) helper.kill('SIGKILL');
      });
    }
    this.child = child;
    return child;
  }
}

/** Electron's core process: the keyring module in-process (it cannot be stopped), each wait bounded. */
class InProcessKeyring extends BoundedKeyring {
  protected async ask(op: KeyringOp): Promise<KeyringAnswer> {
    try {
      return await (await import('./keyring-store.ts')).keyringCall(op);
    } catch (error) {
      return {
        ok: false,
        code: 'keyring',
        message: `the OS keyring module could not be loaded (${describeError(error)})`,
      };
    }
  }

  protected timedOut(): void {
    // Nothing to stop: the call goes on in the thread pool, and its answer is dropped.
  }
}
