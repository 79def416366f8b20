import { spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { ChromaClient } from 'chromadb';
import { afterEach, describe, expect, it } from 'vitest';
import { ChromaSupervisor, heartbeat, type ChromaServer } from '../../agents/memory/chroma-server.ts';
import { AppError } from '../../core/errors.ts';
import { memoryLogger } from '../../core/log.ts';

/**
 * The supervisor for real: the bundled `chroma run` (through $DAILY_BRIEF_CHROMA_GLIBC's loader where the system
 * glibc is too old; test/setup/chroma.ts sets it), real processes, real signals, a real lock file.
 */

const dirs: string[] = [];
const supervisors: ChromaSupervisor[] = [];

afterEach(async () => {
  for (const supervisor of supervisors.splice(0)) await supervisor.stop();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'daily-brief-chroma-server-'));
  dirs.push(dir);
  return dir;
}

function supervisor(options: ConstructorParameters<typeof ChromaSupervisor>[0]): ChromaSupervisor {
  const made = new ChromaSupervisor(options);
  supervisors.push(made);
  return made;
}

/** A start that fails because of the system glibc says how to get the test set-up's one. */
async function start(target: ChromaSupervisor): Promise<ChromaServer> {
  try {
    return await target.start();
  } catch (error) {
    if (error instanceof AppError && error.code === 'chroma_glibc') {
      throw new Error(
        `${error.message}. Run scripts/trixie-glibc.sh and set DAILY_BRIEF_CHROMA_GLIBC to the lib dir it prints ` +
          '(test/setup/chroma.ts does this by itself; see DEVELOPERS.md)',
        { cause: error },
      );
    }
    throw error;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z');
  } catch {
    return false;
  }
}

/** Every Chroma server process running on this data directory, found by its command line. */
function serversFor(chromaDir: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const args = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (args.some((arg) => arg.endsWith('cli.mjs')) && args.includes(chromaDir) && alive(Number(entry))) {
        pids.push(Number(entry));
      }
    } catch {
      // It ended while we looked.
    }
  }
  return pids;
}

async function until(condition: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting until ${what}`);
    await sleep(50);
  }
}

function readLock(target: ChromaSupervisor): { pid: number; port: number; owner: number } {
  return JSON.parse(readFileSync(target.lockPath, 'utf8')) as { pid: number; port: number; owner: number };
}

/** The pid of a process that has just ended: a pid that an old lock could name. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
  await new Promise((resolve) => child.once('exit', resolve));
  return child.pid ?? 999_999;
}

async function collectionCount(server: ChromaServer, add: boolean): Promise<number> {
  const client = new ChromaClient({ host: '127.0.0.1', port: server.port });
  const collection = await client.getOrCreateCollection({
    name: 'supervised',
    configuration: { hnsw: { space: 'cosine' } },
    embeddingFunction: null,
  });
  if (add) await collection.upsert({ ids: ['a'], embeddings: [[1, 0, 0]], documents: ['a'] });
  return collection.count();
}

function glibcBelow(major: number, minor: number): boolean {
  const report = process.report.getReport() as { header?: { glibcVersionRuntime?: string } };
  const [a = 0, b = 0] = (report.header?.glibcVersionRuntime ?? '').split('.').map(Number);
  return report.header?.glibcVersionRuntime !== undefined && (a < major || (a === major && b < minor));
}

describe('ChromaSupervisor', () => {
  it('starts the bundled server on a free loopback port, with its data under <dataDir>/chroma', async () => {
    const dataDir = tempDir();
    const chroma = supervisor({ dataDir });
    const started = Date.now();
    const server = await start(chroma);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
    expect(server.owned).toBe(true);
    expect(chroma.state).toBe('running');
    expect(await heartbeat(server.port)).toBe(true);
    const answer = await fetch(`${server.url}/api/v2/heartbeat`);
    expect(await answer.json()).toHaveProperty(['nanosecond heartbeat']);

    expect(await collectionCount(server, true)).toBe(1);
    expect(readdirSync(dataDir)).toEqual(['chroma']);
    expect(chroma.chromaDir).toBe(join(dataDir, 'chroma'));
    expect(statSync(join(dataDir, 'chroma', 'chroma.sqlite3')).size).toBeGreaterThan(0);
    expect(readLock(chroma)).toMatchObject({ pid: server.pid, port: server.port, owner: process.pid });
    expect(serversFor(chroma.chromaDir)).toEqual([server.pid]);
  });

  it('never runs two servers for one directory: a second supervisor reuses the first one', async () => {
    const dataDir = tempDir();
    const first = supervisor({ dataDir });
    const second = supervisor({ dataDir });
    // Started together: one takes the lock, the other waits for its server and reuses it.
    const [a, b] = await Promise.all([start(first), start(second)]);
    expect(b.port).toBe(a.port);
    expect(b.pid).toBe(a.pid);
    expect([a.owned, b.owned].sort()).toEqual([false, true]);
    const owner = a.owned ? first : second;
    const guest = a.owned ? second : first;
    expect(guest.state).toBe('attached');

    const third = supervisor({ dataDir });
    const c = await start(third);
    expect(c).toEqual({ ...a, owned: false });
    expect(serversFor(owner.chromaDir)).toEqual([a.pid]);

    // A guest's stop leaves the owner's server alone.
    await guest.stop();
    await third.stop();
    expect(await heartbeat(a.port)).toBe(true);
    expect(readLock(owner)).toMatchObject({ pid: a.pid, port: a.port });
    await owner.stop();
    expect(serversFor(owner.chromaDir)).toEqual([]);
  });

  it('restarts the server after it is killed, on the same port and with its data', async () => {
    const dataDir = tempDir();
    const chroma = supervisor({ dataDir });
    const server = await start(chroma);
    expect(await collectionCount(server, true)).toBe(1);

    process.kill(server.pid, 'SIGKILL');
    await until(() => chroma.state === 'running' && chroma.pid !== server.pid, 10_000, 'the server is back');
    const pid = chroma.pid ?? 0;
    expect(pid).not.toBe(server.pid);
    expect(alive(server.pid)).toBe(false);
    expect(chroma.url).toBe(server.url);
    expect(await heartbeat(server.port)).toBe(true);
    expect(await collectionCount(server, false)).toBe(1);
    expect(readLock(chroma)).toMatchObject({ pid, port: server.port, owner: process.pid });
    expect(serversFor(chroma.chromaDir)).toEqual([pid]);
  });

  it('backs off between restarts and gives up after a sixth quick crash in a row', async () => {
    const dataDir = tempDir();
    // A stand-in for chroma: it answers the heartbeat, then dies 400 ms later, every time.
    const cliPath = join(dataDir, 'crashing-cli.mjs');
    writeFileSync(
      cliPath,
      `import { createServer } from 'node:http';
      const port = Number(process.argv[process.argv.indexOf('--port') + 1]);
      createServer((_, res) => res.end('{"nanosecond heartbeat":1}')).listen(port, '127.0.0.1');
      setTimeout(() => { process.stderr.write('fake chroma: crashing on purpose\\n'); process.exit(3); }, 400);`,
    );
    const log = memoryLogger();
    const chroma = supervisor({ dataDir, cliPath, log, backoff: { firstMs: 20, maxMs: 80 } });
    const server = await start(chroma);
    await until(() => chroma.state === 'failed', 15_000, 'the supervisor gives up');
    const restarts = log.lines.filter((line) => line.message.includes('restarting'));
    expect(restarts.map((line) => line.fields.delayMs)).toEqual([20, 40, 80, 80, 80]);
    expect(restarts[0]?.fields.reason).toBe('fake chroma: crashing on purpose');
    expect(log.lines.at(-1)).toMatchObject({ level: 'error', fields: { crashes: 6 } });
    expect(existsSync(chroma.lockPath)).toBe(false);
    expect(chroma.url).toBeUndefined();
    expect(await heartbeat(server.port)).toBe(false);
  });

  it('stop() ends the server, removes the lock, and a later start() runs a new one', async () => {
    const dataDir = tempDir();
    const chroma = supervisor({ dataDir });
    const server = await start(chroma);
    await chroma.stop();
    expect(alive(server.pid)).toBe(false);
    expect(existsSync(chroma.lockPath)).toBe(false);
    expect(await heartbeat(server.port)).toBe(false);
    expect(chroma.state).toBe('stopped');
    expect(chroma.url).toBeUndefined();
    await chroma.stop();

    const again = await start(chroma);
    expect(again.pid).not.toBe(server.pid);
    expect(await heartbeat(again.port)).toBe(true);
  });

  it('takes over a stale lock: a dead server and owner, or a garbled file left long ago', async () => {
    const dataDir = tempDir();
    const chromaDir = join(dataDir, 'chroma');
    mkdirSync(chromaDir);
    const dead = await deadPid();
    const lockPath = join(chromaDir, 'server.lock');
    writeFileSync(lockPath, JSON.stringify({ pid: dead, port: 1, owner: dead, startedAt: 0 }));
    const chroma = supervisor({ dataDir });
    const server = await start(chroma);
    expect(server.owned).toBe(true);
    expect(server.pid).not.toBe(dead);
    expect(readLock(chroma)).toMatchObject({ pid: server.pid, port: server.port, owner: process.pid });
    await chroma.stop();

    writeFileSync(lockPath, '{"pid":');
    utimesSync(lockPath, new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
    const next = await start(chroma);
    expect(next.owned).toBe(true);
    expect(readLock(chroma).pid).toBe(next.pid);
  });

  it('rejects quickly with one line when the server cannot start, and leaves nothing behind', async () => {
    const dataDir = tempDir();
    const cases: [ChromaSupervisor, RegExp][] = [
      [supervisor({ dataDir, cliPath: '/nonexistent/cli.mjs' }), /^Chroma could not start: Cannot find module /],
      [
        supervisor({ dataDir, loader: { ldSo: '/nonexistent/ld-linux-x86-64.so.2', libraryPath: '/nonexistent' } }),
        /^Chroma could not start: \/nonexistent\/ld-linux-x86-64\.so\.2 was not found$/,
      ],
    ];
    for (const [target, message] of cases) {
      const started = Date.now();
      const error = await target.start().catch((failure: unknown) => failure);
      expect(Date.now() - started).toBeLessThan(5000);
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe('chroma_start');
      expect((error as AppError).oneLine()).toMatch(message);
      expect((error as AppError).oneLine()).not.toContain('\n');
      expect(target.state).toBe('failed');
      expect(existsSync(target.lockPath)).toBe(false);
      expect(serversFor(target.chromaDir)).toEqual([]);
    }
  });

  it.runIf(process.platform === 'linux' && process.arch === 'x64' && glibcBelow(2, 39))(
    'says the system glibc is too old when the bundled binary is run directly',
    async () => {
      const chroma = supervisor({ dataDir: tempDir(), loader: null });
      const error = await chroma.start().catch((failure: unknown) => failure);
      expect(error).toMatchObject({ code: 'chroma_glibc' });
      expect((error as AppError).oneLine()).toMatch(
        /^Chroma could not start: its binary needs a newer glibc than this system's 2\.\d+ \(GLIBC_2\.\d+ not found\)$/,
      );
    },
  );

  it('does not let the server outlive a process killed with SIGKILL; the next one takes over', async () => {
    const dataDir = tempDir();
    const module = new URL('../../agents/memory/chroma-server.ts', import.meta.url).href;
    const script = `
      import { ChromaSupervisor } from ${JSON.stringify(module)};
      const server = await new ChromaSupervisor({ dataDir: ${JSON.stringify(dataDir)} }).start();
      console.log(JSON.stringify(server));
      setInterval(() => {}, 1000);
    `;
    const owner = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    owner.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const line = await new Promise<string>((resolve, reject) => {
      createInterface({ input: owner.stdout }).once('line', resolve);
      owner.once('exit', () => {
        reject(new Error(`the owner process ended: ${stderr}`));
      });
    });
    const server = JSON.parse(line) as ChromaServer;
    expect(alive(server.pid)).toBe(true);

    owner.kill('SIGKILL');
    // The watchdog inside the server notices within half a second, then stops it (SIGINT, SIGKILL after 3 s).
    await until(() => !alive(server.pid), 8000, 'the orphaned server is gone');

    const next = supervisor({ dataDir });
    const taken = await start(next);
    expect(taken.owned).toBe(true);
    expect(serversFor(next.chromaDir)).toEqual([taken.pid]);
  });
});
