import { spawn, type ChildProcess } from 'node:child_process';
import { linkSync, mkdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { createRequire } from 'node:module';
import { createServer, Socket } from 'node:net';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { AppError } from '../../core/errors.ts';
import { silentLogger, type Logger } from '../../core/log.ts';

/**
 * Runs and supervises the Chroma server bundled in the chromadb package (`chroma run`) for one data directory:
 * a free loopback port, health through /api/v2/heartbeat, restarts with backoff after a crash, and one server per
 * data directory across processes (a lock file holding the server's pid and port; others reuse that server).
 */

/** The lib dir of a newer glibc (test set-up only, see DEVELOPERS.md): the server is then run through its loader. */
export const CHROMA_GLIBC_ENV = 'DAILY_BRIEF_CHROMA_GLIBC';
export const CHROMA_LOCK_FILE = 'server.lock';

export interface ChromaLoader {
  /** The dynamic loader to run node through, e.g. `<lib>/ld-linux-x86-64.so.2`. */
  ldSo: string;
  /** Its --library-path: where the matching libc, libstdc++ and libgcc_s are. */
  libraryPath: string;
}

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

interface LockContent {
  pid: number;
  port: number;
  /** The process that supervises the server; while it lives, its lock is never taken over. */
  owner?: number;
  startedAt?: number;
}

interface Child {
  process: ChildProcess;
  pid: number;
  port: number;
  startedAt: number;
  output: OutputRing;
  exit: { code: number | null; signal: NodeJS.Signals | null; error?: Error } | undefined;
  exited: Promise<void>;
}

const HOST = '127.0.0.1';
const POLL_MS = 50;
const HEARTBEAT_TIMEOUT_MS = 1000;
const FIRST_BACKOFF_MS = 500;
const MAX_BACKOFF_MS = 8000;
/** A crash within this long after a (re)start counts as quick; after five quick ones in a row it gives up. */
const QUICK_CRASH_MS = 30_000;
const MAX_QUICK_CRASHES = 5;
/** Chroma exits on SIGINT (its ctrl-c handler); on SIGTERM it spins without exiting, so SIGTERM is never used. */
const STOP_GRACE_MS = 3000;
const ATTACHED_CHECK_MS = 2000;

/**
 * Preloaded into the server's node (`--import`): a worker thread, because the main thread is blocked inside the
 * native `cli()` call. When our process is gone (the parent pid changes, or it no longer exists), the server stops
 * itself, so it cannot outlive us even after a SIGKILL that left no chance for cleanup.
 */
const WATCHDOG_SOURCE = `import { Worker } from 'node:worker_threads';
new Worker(\`
const parent = process.ppid;
const gone = () => {
  if (process.ppid !== parent) return true;
  try { process.kill(parent, 0); return false; } catch (error) { return error.code !== 'EPERM'; }
};
const timer = setInterval(() => {
  if (!gone()) return;
  clearInterval(timer);
  try { process.kill(process.pid, 'SIGINT'); } catch {}
  setTimeout(() => process.kill(process.pid, 'SIGKILL'), 3000);
}, 500);
\`, { eval: true }).unref();
`;
const WATCHDOG_URL = `data:text/javascript;base64,${Buffer.from(WATCHDOG_SOURCE).toString('base64')}`;

/** The loader named by $DAILY_BRIEF_CHROMA_GLIBC, if set. */
export function chromaLoaderFromEnv(env: NodeJS.ProcessEnv = process.env): ChromaLoader | undefined {
  const lib = env[CHROMA_GLIBC_ENV];
  if (!lib) return undefined;
  const ldSo = process.arch === 'arm64' ? 'ld-linux-aarch64.so.1' : 'ld-linux-x86-64.so.2';
  return { ldSo: join(lib, ldSo), libraryPath: lib };
}

/** `node_modules/chromadb/dist/cli.mjs`, found through the package's own entry point. */
export function bundledChromaCli(): string {
  try {
    return join(dirname(createRequire(import.meta.url).resolve('chromadb')), '..', 'cli.mjs');
  } catch (error) {
    throw new AppError('chroma_missing', 'Chroma could not start: the chromadb package is not installed', {
      hint: 'Run npm install',
      cause: error,
    });
  }
}

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
        if (this.createLock()) {
          register(this);
          return await this.launch(preferredPort, abort).catch((error: unknown) => {
            this.removeLock();
            unregister(this);
            throw error;
          });
        }
        const lock = readLock(this.lockPath);
        if (!lock) continue;
        const verdict = await this.judge(lock);
        if (verdict === 'reuse' && lock.content) return this.attach(lock.content);
        if (verdict === 'stale') {
          await this.clearStale(lock);
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

  /** Reuse a live, answering server; wait while its owner lives (it is starting or restarting); else stale. */
  private async judge(lock: ReadLock): Promise<'reuse' | 'wait' | 'stale'> {
    const content = lock.content;
    if (!content) return Date.now() - lock.mtimeMs < 5000 ? 'wait' : 'stale';
    const ownerAlive = content.owner !== undefined && isAlive(content.owner) && !this.isOrphanedOwnLock(content);
    const serverAlive = content.pid > 0 && isAlive(content.pid);
    if (serverAlive && (ownerAlive || content.owner === undefined) && (await heartbeat(content.port))) return 'reuse';
    return ownerAlive ? 'wait' : 'stale';
  }

  /** A lock naming this process as owner that no live supervisor here holds was left behind: stale. */
  private isOrphanedOwnLock(content: LockContent): boolean {
    if (content.owner !== process.pid) return false;
    for (const supervisor of live) if (supervisor !== this && supervisor.lockPath === this.lockPath) return false;
    return true;
  }

  /** Its server may still be shutting down (the watchdog kills it once its owner is gone): make sure it is gone. */
  private async clearStale(lock: ReadLock): Promise<void> {
    const pid = lock.content?.pid ?? 0;
    if (pid > 0 && isAlive(pid) && isChromaFor(pid, this.chromaDir)) {
      this.log.warn({ pid }, 'chroma: stopping a server left over from a process that is gone');
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
      for (let waited = 0; waited < 5000 && isAlive(pid); waited += POLL_MS) await sleep(POLL_MS);
    }
    // Renamed away first, so that of two processes taking over one stale lock only one removes it.
    const aside = `${this.lockPath}.stale-${process.pid}-${Math.random().toString(36).slice(2)}`;
    try {
      renameSync(this.lockPath, aside);
    } catch {
      return;
    }
    try {
      if (readFileSync(aside, 'utf8') !== lock.raw) linkSync(aside, this.lockPath);
    } catch {
      // Someone else has written a new lock meanwhile: theirs wins.
    } finally {
      unlinkQuietly(aside);
    }
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
    const child = this.spawnChild(port);
    this.child = child;
    this.writeLock({ pid: child.pid, port, owner: process.pid, startedAt: child.startedAt });
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

  private spawnChild(port: number): Child {
    const cli = this.cliPath ?? bundledChromaCli();
    const nodeArgs = ['--import', WATCHDOG_URL, cli, 'run', '--path', this.chromaDir, '--host', HOST];
    nodeArgs.push('--port', String(port));
    const [command, args] = this.loader
      ? [this.loader.ldSo, ['--library-path', this.loader.libraryPath, process.execPath, ...nodeArgs]]
      : [process.execPath, nodeArgs];
    // Our own NODE_OPTIONS (a test runner's loaders, say) are no business of the server's node.
    const env: NodeJS.ProcessEnv = { ...this.env, NO_COLOR: '1' };
    delete env.NODE_OPTIONS;
    const output = new OutputRing();
    const spawned = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env, windowsHide: true });
    const child: Child = {
      process: spawned,
      pid: spawned.pid ?? 0,
      port,
      startedAt: Date.now(),
      output,
      exit: undefined,
      exited: Promise.resolve(),
    };
    child.exited = new Promise<void>((resolve) => {
      spawned.once('exit', (code, signal) => {
        child.exit ??= { code, signal };
        resolve();
      });
      spawned.once('error', (error) => {
        child.exit ??= { code: null, signal: null, error };
        resolve();
      });
    });
    for (const [name, stream] of [
      ['err', spawned.stderr],
      ['out', spawned.stdout],
    ] as const) {
      stream.on('data', (chunk: Buffer) => {
        output.push(name, chunk);
      });
      // The server must never keep our process alive: the exit hook and the watchdog stop it.
      if (stream instanceof Socket) stream.unref();
    }
    spawned.unref();
    return child;
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

  /** Atomic: the lock is written to a temporary file, then hard-linked into place, which fails if one exists. */
  private createLock(): boolean {
    const temp = `${this.lockPath}.${process.pid}-${Math.random().toString(36).slice(2)}.tmp`;
    writeFileSync(temp, JSON.stringify({ pid: 0, port: 0, owner: process.pid, startedAt: Date.now() }));
    try {
      linkSync(temp, this.lockPath);
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw error;
    } finally {
      unlinkQuietly(temp);
    }
  }

  private writeLock(content: LockContent): void {
    const temp = `${this.lockPath}.${process.pid}.tmp`;
    writeFileSync(temp, JSON.stringify(content));
    renameSync(temp, this.lockPath);
  }

  /** Only our own lock: another supervisor may have taken over a lock we lost. */
  private removeLock(): void {
    const lock = readLock(this.lockPath);
    if (lock?.content?.owner === process.pid && !this.isHeldByAnother()) unlinkQuietly(this.lockPath);
  }

  private isHeldByAnother(): boolean {
    for (const supervisor of live) {
      if (supervisor !== this && supervisor.lockPath === this.lockPath && supervisor.child) return true;
    }
    return false;
  }
}

// ---- one process, many supervisors: stop every server when the process ends ----------------------

const live = new Set<ChromaSupervisor>();
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

function stopAll(): void {
  for (const supervisor of live) supervisor.stopNow();
}

function onSignal(signal: NodeJS.Signals): void {
  stopAll();
  // Ours was the only listener: without it the signal would have ended the process, so end it the same way.
  if (process.listenerCount(signal) === 1) {
    unhook();
    process.kill(process.pid, signal);
  }
}

function hook(): void {
  process.on('exit', stopAll);
  for (const signal of SIGNALS) process.on(signal, onSignal);
}

function unhook(): void {
  process.removeListener('exit', stopAll);
  for (const signal of SIGNALS) process.removeListener(signal, onSignal);
}

function register(supervisor: ChromaSupervisor): void {
  if (live.size === 0) hook();
  live.add(supervisor);
}

function unregister(supervisor: ChromaSupervisor): void {
  if (live.delete(supervisor) && live.size === 0) unhook();
}

// ---- the child ----------------------------------------------------------------------------------

/** Read through a call: the exit arrives asynchronously, which narrowing on `child.exit` cannot see. */
function exited(child: Child): boolean {
  return child.exit !== undefined;
}

async function terminate(child: Child): Promise<void> {
  if (exited(child)) return;
  child.process.kill('SIGINT');
  await Promise.race([child.exited, sleep(STOP_GRACE_MS)]);
  if (exited(child)) return;
  child.process.kill('SIGKILL');
  await Promise.race([child.exited, sleep(10_000)]);
}

const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*[A-Za-z]`, 'g');

/** The last lines of the server's output, for the one-line reason when it fails; bounded, so it can run for days. */
class OutputRing {
  private readonly lines: { stream: 'err' | 'out'; text: string }[] = [];
  private readonly partial = { err: '', out: '' };

  push(stream: 'err' | 'out', chunk: Buffer): void {
    const text = (this.partial[stream] + chunk.toString('utf8')).replace(ANSI, '');
    const parts = text.split(/\r?\n/);
    this.partial[stream] = (parts.pop() ?? '').slice(-1000);
    for (const part of parts) {
      const line = part.trim();
      if (line) this.lines.push({ stream, text: line.slice(0, 500) });
    }
    if (this.lines.length > 200) this.lines.splice(0, this.lines.length - 200);
  }

  all(stream: 'err' | 'out'): string[] {
    const lines = this.lines.filter((line) => line.stream === stream).map((line) => line.text);
    const rest = this.partial[stream].trim();
    return rest ? [...lines, rest] : lines;
  }
}

/** Why the server did not come up, in one line; glibc problems get their own code (the loader fixes them). */
function failureReason(child: Pick<Child, 'exit' | 'output'>): { code: string; reason: string } {
  const stderr = child.output.all('err');
  const text = stderr.join('\n');
  const glibc = /version `(GLIBC(?:XX)?_[0-9.]+)' not found/.exec(text);
  if (glibc?.[1]) {
    const library = glibc[1].startsWith('GLIBCXX') ? 'libstdc++' : 'glibc';
    return {
      code: 'chroma_glibc',
      reason: `its binary needs a newer ${library} than this system's ${systemGlibc()} (${glibc[1]} not found)`,
    };
  }
  const dlopen = text.includes('ERR_DLOPEN_FAILED');
  const error = child.exit?.error;
  if (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const path = (error as NodeJS.ErrnoException).path;
    return { code: 'chroma_start', reason: code === 'ENOENT' && path ? `${path} was not found` : error.message };
  }
  const telling = /(\berror\b|panicked|not available|failed|denied|cannot|not found)/i;
  const line =
    stderr.find((l) => /^\w*Error\b/.test(l)) ??
    stderr.find((l) => telling.test(l)) ??
    child.output.all('out').findLast((l) => telling.test(l)) ??
    stderr.at(-1);
  const exit = child.exit;
  const how = !exit
    ? 'it did not answer'
    : exit.signal
      ? `it was killed by ${exit.signal}`
      : `it exited with code ${exit.code ?? '?'}`;
  // "Error [ERR_MODULE_NOT_FOUND]: Cannot find …": the message says it all.
  const tidy = line?.replace(/^\w*Error(?: \[\w+\])?: /, '');
  return { code: dlopen ? 'chroma_glibc' : 'chroma_start', reason: tidy ? tidy.slice(0, 240) : how };
}

function startError(child: Child): AppError {
  const { code, reason } = failureReason(child);
  return new AppError(code, `Chroma could not start: ${reason}`);
}

function stoppedError(): AppError {
  return new AppError('chroma_stopped', 'Chroma was stopped while it was starting');
}

function checkAborted(signal: AbortSignal): void {
  if (signal.aborted) throw stoppedError();
}

function systemGlibc(): string {
  const report = process.report.getReport() as { header?: { glibcVersionRuntime?: string } };
  return report.header?.glibcVersionRuntime ?? 'unknown';
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

// ---- processes, ports, locks ----------------------------------------------------------------------

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  // A zombie answers kill(0) but is gone for our purposes (some containers never reap them).
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}

/** Kill only what is surely a Chroma server for this directory: a pid in an old lock may belong to anyone now. */
function isChromaFor(pid: number, chromaDir: string): boolean {
  try {
    const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    return args.some((arg) => arg.endsWith('cli.mjs')) && args.includes(chromaDir);
  } catch {
    return false;
  }
}

interface ReadLock {
  raw: string;
  mtimeMs: number;
  content: LockContent | undefined;
}

function readLock(path: string): ReadLock | undefined {
  try {
    const raw = readFileSync(path, 'utf8');
    const mtimeMs = statSync(path).mtimeMs;
    let content: LockContent | undefined;
    try {
      const parsed = JSON.parse(raw) as Partial<LockContent>;
      if (typeof parsed.pid === 'number' && typeof parsed.port === 'number') {
        content = { pid: parsed.pid, port: parsed.port };
        if (typeof parsed.owner === 'number') content.owner = parsed.owner;
        if (typeof parsed.startedAt === 'number') content.startedAt = parsed.startedAt;
      }
    } catch {
      content = undefined;
    }
    return { raw, mtimeMs, content };
  } catch {
    return undefined;
  }
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Already gone.
  }
}

function listen(port: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => {
      resolve(undefined);
    });
    server.listen(port, HOST, () => {
      const address = server.address();
      const bound = typeof address === 'object' && address ? address.port : undefined;
      server.close(() => {
        resolve(bound);
      });
    });
  });
}

async function freePort(): Promise<number> {
  const port = await listen(0);
  if (!port) throw new AppError('chroma_start', 'Chroma could not start: no free loopback port');
  return port;
}

async function portIsFree(port: number): Promise<boolean> {
  return (await listen(port)) === port;
}

/** True when Chroma answers its heartbeat. Plain http with no agent: no pooled socket outlives the check. */
export function heartbeat(port: number, timeoutMs = HEARTBEAT_TIMEOUT_MS): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request(
      { host: HOST, port, path: '/api/v2/heartbeat', agent: false, timeout: timeoutMs },
      (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          if (body.length < 4096) body += chunk;
        });
        response.on('end', () => {
          resolve(response.statusCode === 200 && body.includes('heartbeat'));
        });
        response.on('error', () => {
          resolve(false);
        });
      },
    );
    req.on('timeout', () => {
      req.destroy();
    });
    req.on('error', () => {
      resolve(false);
    });
    req.end();
  });
}
