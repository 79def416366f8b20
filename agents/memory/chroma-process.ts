import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Socket } from 'node:net';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { AppError } from '../../core/errors.ts';
import type { Logger } from '../../core/log.ts';
import { HOST } from './chroma-net.ts';

/**
 * The Chroma server as an operating-system process: how it is run, its output and why it failed, and how it is
 * stopped (by us, by its own watchdog, or as a leftover of a process that is gone).
 */

/** The lib dir of a newer glibc (test set-up only, see DEVELOPERS.md): the server is then run through its loader. */
export const CHROMA_GLIBC_ENV = 'DAILY_BRIEF_CHROMA_GLIBC';

export interface ChromaLoader {
  /** The dynamic loader to run node through, e.g. `<lib>/ld-linux-x86-64.so.2`. */
  ldSo: string;
  /** Its --library-path: where the matching libc, libstdc++ and libgcc_s are. */
  libraryPath: string;
}

export interface Child {
  process: ChildProcess;
  pid: number;
  port: number;
  startedAt: number;
  output: OutputRing;
  exit: { code: number | null; signal: NodeJS.Signals | null; error?: Error } | undefined;
  exited: Promise<void>;
}

export interface SpawnOptions {
  port: number;
  chromaDir: string;
  /** The chroma CLI to run (default: the one in the chromadb package). */
  cliPath: string | undefined;
  loader: ChromaLoader | undefined;
  env: NodeJS.ProcessEnv;
}

export const POLL_MS = 50;
/** Chroma exits on SIGINT (its ctrl-c handler); on SIGTERM it spins without exiting, so SIGTERM is never used. */
const STOP_GRACE_MS = 3000;

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

export function spawnChroma(options: SpawnOptions): Child {
  const { port, chromaDir, loader } = options;
  const cli = options.cliPath ?? bundledChromaCli();
  const nodeArgs = ['--import', WATCHDOG_URL, cli, 'run', '--path', chromaDir, '--host', HOST];
  nodeArgs.push('--port', String(port));
  const [command, args] = loader
    ? [loader.ldSo, ['--library-path', loader.libraryPath, process.execPath, ...nodeArgs]]
    : [process.execPath, nodeArgs];
  // Our own NODE_OPTIONS (a test runner's loaders, say) are no business of the server's node.
  const env: NodeJS.ProcessEnv = { ...options.env, NO_COLOR: '1' };
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

/** Read through a call: the exit arrives asynchronously, which narrowing on `child.exit` cannot see. */
export function exited(child: Child): boolean {
  return child.exit !== undefined;
}

export async function terminate(child: Child): Promise<void> {
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
export function failureReason(child: Pick<Child, 'exit' | 'output'>): {
  code: 'chroma_glibc' | 'chroma_start';
  reason: string;
} {
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

export function startError(child: Child): AppError {
  const { code, reason } = failureReason(child);
  return new AppError(code, `Chroma could not start: ${reason}`);
}

function systemGlibc(): string {
  const report = process.report.getReport() as { header?: { glibcVersionRuntime?: string } };
  return report.header?.glibcVersionRuntime ?? 'unknown';
}

// ---- other processes, through /proc ----------------------------------------------------------------

export function isAlive(pid: number): boolean {
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
export function isChromaFor(pid: number, chromaDir: string): boolean {
  try {
    const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    return args.some((arg) => arg.endsWith('cli.mjs')) && args.includes(chromaDir);
  } catch {
    return false;
  }
}

/** SIGKILL for a server left over from a process that is gone (check isChromaFor first); waits up to 5 s. */
export async function killLeftover(pid: number, log: Logger): Promise<void> {
  log.warn({ pid }, 'chroma: stopping a server left over from a process that is gone');
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
  for (let waited = 0; waited < 5000 && isAlive(pid); waited += POLL_MS) await sleep(POLL_MS);
}
