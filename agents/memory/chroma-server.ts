import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { AppError } from '../../core/errors.ts';
import { silentLogger, type Logger } from '../../core/log.ts';
import {
  CHROMA_LOCK_FILE,
  clearStaleLock,
  createLock,
  judgeLock,
  readLock,
  removeOwnLock,
  writeLock,
  type LockContent,
} from './chroma-lock.ts';
import { freePort, heartbeat, HOST, portIsFree } from './chroma-net.ts';
import {
  chromaLoaderFromEnv,
  exited,
  failureReason,
  POLL_MS,
  spawnChroma,
  startError,
  terminate,
  type Child,
  type ChromaLoader,
} from './chroma-process.ts';
import { liveSupervisors, register, unregister } from './chroma-registry.ts';

/**
 * Runs and supervises the Chroma server bundled in the chromadb package (`chroma run`) for one data directory:
 * a free loopback port, health through /api/v2/heartbeat, restarts with backoff after a crash, and one server per
 * data directory across processes (a lock file holding the server's pid and port; others reuse that server).
 * The lock rules are in chroma-lock.ts, the server process in chroma-process.ts, its port and heartbeat in
 * chroma-net.ts, the exit hooks in chroma-registry.ts.
 */

export { CHROMA_LOCK_FILE } from './chroma-lock.ts';
export { heartbeat } from './chroma-net.ts';
export { bundledChromaCli, CHROMA_GLIBC_ENV, chromaLoaderFromEnv, type ChromaLoader } from './chroma-process.ts';

export interface ChromaSupervisorOptions {
  dataDir: string;
  /** How to run node: `undefined` takes $DAILY_BRIEF_CHROMA_GLIBC (else direct), `null` always runs directly. */
  loader?: ChromaLoader | null;
  env?: NodeJS.ProcessEnv;
  /** The chroma CLI to run (default: the one in the chromadb package). */
  cliPath?: string;
  /** How long a start may take until the heartbeat answers. Default 20 s. */
  startTimeoutMs?: number;
  /** Restart delays after a crash: doubling from firstMs (0.5 s) up to maxMs (8 s). Tests shorten them. */
  backoff?: { firstMs: number; maxMs: number };
  log?: Logger;
}

export interface ChromaServer {
  url: string;
  port: number;
  /** The server process: this supervisor's child, or the one another supervisor runs. */
  pid: number;
  /** False when this supervisor reuses a server that another one runs for the same data directory. */
  owned: boolean;
}

export type ChromaSupervisorState = 'idle' | 'starting' | 'running' | 'restarting' | 'attached' | 'failed' | 'stopped';

const FIRST_BACKOFF_MS = 500;
const MAX_BACKOFF_MS = 8000;
/** A crash within this long after a (re)start counts as quick; after five quick ones in a row it gives up. */
const QUICK_CRASH_MS = 30_000;
const MAX_QUICK_CRASHES = 5;
const ATTACHED_CHECK_MS = 2000;

export class ChromaSupervisor {
  readonly chromaDir: string;
  readonly lockPath: string;
  private readonly loader: ChromaLoader | undefined;
  private readonly env: NodeJS.ProcessEnv;
  private readonly cliPath: string | undefined;
  private readonly startTimeoutMs: number;
  private readonly backoff: { firstMs: number; maxMs: number };
  private readonly log: Logger;
  private current: ChromaSupervisorState = 'idle';
  private server: ChromaServer | undefined;
  private child: Child | undefined;
  private starting: Promise<ChromaServer> | undefined;
  private stopping = new AbortController();
  private quickCrashes = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(options: ChromaSupervisorOptions) {
    this.chromaDir = join(options.dataDir, 'chroma');
    this.lockPath = join(this.chromaDir, CHROMA_LOCK_FILE);
    this.env = options.env ?? process.env;
    this.loader = options.loader === undefined ? chromaLoaderFromEnv(this.env) : (options.loader ?? undefined);
    this.cliPath = options.cliPath;
    this.startTimeoutMs = options.startTimeoutMs ?? 20_000;
    this.backoff = options.backoff ?? { firstMs: FIRST_BACKOFF_MS, maxMs: MAX_BACKOFF_MS };
    this.log = options.log ?? silentLogger;
  }

  get state(): ChromaSupervisorState {
    return this.current;
  }

  /** Through a call, because the state changes behind awaits, where narrowing on `this.current` cannot see it. */
  private is(state: ChromaSupervisorState): boolean {
    return this.current === state;
  }

  /** The server's address while running or attached (it may change after a restart if the port was taken). */
  get url(): string | undefined {
    return this.server?.url;
  }

  get pid(): number | undefined {
    return this.server?.pid;
  }

  get owned(): boolean {
    return this.server?.owned ?? false;
  }

  /** Starts the server, or reuses the one already running for this data directory. */
  start(signal?: AbortSignal): Promise<ChromaServer> {
    if (this.server && (this.current === 'running' || this.current === 'attached')) {
      return Promise.resolve(this.server);
    }
    if (this.starting) return this.starting;
    if (this.current === 'stopped' || this.current === 'failed') {
      this.stopping = new AbortController();
      this.quickCrashes = 0;
    }
    // Someone needs it now: skip the rest of the backoff.
    if (this.current === 'restarting') return this.relaunch();
    return this.begin(this.acquire(signal));
  }

  /** One start at a time: later callers, and stop(), wait for the one in flight. */
  private begin(starting: Promise<ChromaServer>): Promise<ChromaServer> {
    const tracked = starting.finally(() => {
      if (this.starting === tracked) this.starting = undefined;
    });
    this.starting = tracked;
    return tracked;
  }

  /** Stops the server if this supervisor runs it (SIGINT, then SIGKILL after 3 s) and removes the lock. */
  async stop(): Promise<void> {
    this.stopping.abort();
    this.current = 'stopped';
    this.clearTimer();
    await this.starting?.catch(() => undefined);
    const child = this.child;
    if (child) await terminate(child);
    if (this.server?.owned || child) this.removeLock();
    this.child = undefined;
    this.server = undefined;
    unregister(this);
  }

  /** For the process exit and signal hooks: nothing can be awaited there. The watchdog does the rest. */
  stopNow(): void {
    this.stopping.abort();
    this.current = 'stopped';
    this.clearTimer();
    if (this.child && !this.child.exit) this.child.process.kill('SIGINT');
  }

  private async acquire(signal: AbortSignal | undefined, preferredPort?: number): Promise<ChromaServer> {
    const abort = signal ? AbortSignal.any([signal, this.stopping.signal]) : this.stopping.signal;
    const deadline = Date.now() + this.startTimeoutMs;
    this.current = 'starting';
    try {
      mkdirSync(this.chromaDir, { recursive: true });
      for (;;) {
        checkAborted(abort);
        if (createLock(this.lockPath)) {
          register(this);
          return await this.launch(preferredPort, abort).catch((error: unknown) => {
            this.removeLock();
            unregister(this);
            throw error;
          });
        }
        const lock = readLock(this.lockPath);
        if (!lock) continue;
        const verdict = await judgeLock(lock, (content) => this.isOrphanedOwnLock(content));
        if (verdict === 'reuse' && lock.content) return this.attach(lock.content);
        if (verdict === 'stale') {
          await clearStaleLock(this.lockPath, this.chromaDir, lock, this.log);
          continue;
        }
        if (Date.now() > deadline) {
          const owner = lock.content?.owner;
          throw new AppError(
            'chroma_busy',
            `Chroma could not start: another process${owner ? ` (pid ${owner})` : ''} holds ${this.lockPath} but its server does not answer`,
            { hint: 'Quit the other Daily Brief, or delete the lock file if no Daily Brief is running' },
          );
        }
        await sleep(100, undefined, { signal: abort });
      }
    } catch (error) {
      if (this.is('starting')) this.current = abort.aborted ? 'stopped' : 'failed';
      throw abort.aborted && !(error instanceof AppError) ? stoppedError() : error;
    }
  }

  /** A lock naming this process as owner that no live supervisor here holds was left behind: stale. */
  private isOrphanedOwnLock(content: LockContent): boolean {
    if (content.owner !== process.pid) return false;
    for (const supervisor of liveSupervisors()) {
      if (supervisor !== this && supervisor.lockPath === this.lockPath) return false;
    }
    return true;
  }

  private attach(content: LockContent): ChromaServer {
    const server: ChromaServer = {
      url: `http://${HOST}:${content.port}`,
      port: content.port,
      pid: content.pid,
      owned: false,
    };
    this.server = server;
    this.current = 'attached';
    this.log.info({ pid: content.pid, port: content.port }, 'chroma: reusing the server of another supervisor');
    // When the owner goes away, its server goes with it: take over, on the same port if it is free.
    let misses = 0;
    this.timer = setInterval(() => {
      void heartbeat(content.port).then((ok) => {
        misses = ok ? 0 : misses + 1;
        if (misses < 2 || this.current !== 'attached') return;
        this.clearTimer();
        this.server = undefined;
        this.begin(this.acquire(undefined, content.port)).catch((error: unknown) => {
          this.log.error({ reason: messageOf(error) }, 'chroma: could not take over the server');
        });
      });
    }, ATTACHED_CHECK_MS).unref();
    return server;
  }

  private async launch(preferredPort: number | undefined, abort: AbortSignal): Promise<ChromaServer> {
    const port = preferredPort !== undefined && (await portIsFree(preferredPort)) ? preferredPort : await freePort();
    const child = spawnChroma({
      port,
      chromaDir: this.chromaDir,
      cliPath: this.cliPath,
      loader: this.loader,
      env: this.env,
    });
    this.child = child;
    writeLock(this.lockPath, { pid: child.pid, port, owner: process.pid, startedAt: child.startedAt });
    try {
      await this.waitHealthy(child, abort);
    } catch (error) {
      await terminate(child);
      this.child = undefined;
      throw error;
    }
    void child.exited.then(() => {
      this.onExit(child);
    });
    const server: ChromaServer = { url: `http://${HOST}:${port}`, port, pid: child.pid, owned: true };
    this.server = server;
    this.current = 'running';
    this.log.info({ pid: child.pid, port, ms: Date.now() - child.startedAt }, 'chroma: server started');
    return server;
  }

  private async waitHealthy(child: Child, abort: AbortSignal): Promise<void> {
    const deadline = child.startedAt + this.startTimeoutMs;
    for (;;) {
      if (exited(child)) throw startError(child);
      checkAborted(abort);
      if (await heartbeat(child.port)) return;
      if (exited(child)) throw startError(child);
      if (Date.now() > deadline) {
        throw new AppError(
          'chroma_start',
          `Chroma could not start: it did not answer on port ${child.port} within ${Math.round(this.startTimeoutMs / 1000)} s`,
        );
      }
      await Promise.race([sleep(POLL_MS), child.exited]);
    }
  }

  private onExit(child: Child): void {
    if (this.child !== child || this.current !== 'running') return;
    this.child = undefined;
    const reason = failureReason(child).reason;
    this.crashed(Date.now() - child.startedAt, reason);
  }

  /** Restart after 0.5, 1, 2, 4, 8 s; a sixth crash in a row, each within 30 s of its start, gives up. */
  private crashed(uptimeMs: number, reason: string): void {
    this.quickCrashes = uptimeMs < QUICK_CRASH_MS ? this.quickCrashes + 1 : 1;
    if (this.quickCrashes > MAX_QUICK_CRASHES) {
      this.log.error({ reason, crashes: this.quickCrashes }, 'chroma: the server keeps crashing; giving up');
      this.current = 'failed';
      this.server = undefined;
      this.removeLock();
      unregister(this);
      return;
    }
    const delay = Math.min(this.backoff.maxMs, this.backoff.firstMs * 2 ** (this.quickCrashes - 1));
    this.log.warn({ reason, delayMs: delay, crashes: this.quickCrashes }, 'chroma: the server stopped; restarting');
    this.current = 'restarting';
    this.timer = setTimeout(() => {
      void this.relaunch().catch(() => undefined);
    }, delay).unref();
  }

  private relaunch(): Promise<ChromaServer> {
    this.clearTimer();
    const attempt = this.begin(this.launch(this.server?.port, this.stopping.signal));
    attempt.catch((error: unknown) => {
      if (this.current === 'restarting') this.crashed(0, messageOf(error));
    });
    return attempt;
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private removeLock(): void {
    removeOwnLock(this.lockPath, () => this.isHeldByAnother());
  }

  private isHeldByAnother(): boolean {
    for (const supervisor of liveSupervisors()) {
      if (supervisor !== this && supervisor.lockPath === this.lockPath && supervisor.child) return true;
    }
    return false;
  }
}

function stoppedError(): AppError {
  return new AppError('chroma_stopped', 'Chroma was stopped while it was starting');
}

function checkAborted(signal: AbortSignal): void {
  if (signal.aborted) throw stoppedError();
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
