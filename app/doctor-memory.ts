import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { backendChoice } from '../agents/memory/open.ts';
import type { DoctorCheck } from './doctor.ts';
import { describeError } from '../core/errors.ts';
import type { Settings } from '../core/settings.ts';

const base = { id: 'memory', title: 'Memory' };
const FALLBACK = 'memory uses the built-in SQLite vector store (sqlite-vec) instead';

/**
 * Which vector back end the memory will get, found the way a refresh finds it: the configured
 * Chroma server, else a trial start of the bundled one (in a throw-away folder), else sqlite-vec.
 */
export async function checkMemory(settings: Settings, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<DoctorCheck> {
  if (!settings.memory.enabled) return { ...base, status: 'skip', detail: 'Memory off (memory.enabled is false)' };
  const choice = backendChoice(settings, env);
  const sqliteVec = await sqliteVecWorks();
  if (choice === 'sqlite-vec') {
    return sqliteVec === true
      ? { ...base, status: 'ok', detail: 'Memory: SQLite vector store (sqlite-vec), as configured' }
      : {
          ...base,
          status: 'fail',
          detail: `sqlite-vec cannot load (${sqliteVec})`,
          fix: 'Run `npm ci` to reinstall it',
        };
  }
  const chroma = await chromaWorks(settings.memory.chromaUrl, env, timeoutMs);
  if (chroma === true) {
    const where = settings.memory.chromaUrl ?? 'a Chroma server the app runs itself';
    return { ...base, status: 'ok', detail: `Memory: Chroma (${where})` };
  }
  const forced = choice === 'chroma' || settings.memory.chromaUrl !== undefined;
  return {
    ...base,
    status: forced || sqliteVec !== true ? 'fail' : 'warn',
    detail: `Chroma is not available (${chroma}); ${sqliteVec === true ? FALLBACK : `and sqlite-vec cannot load (${sqliteVec})`}`,
    fix: settings.memory.chromaUrl
      ? 'Start that Chroma server, or remove memory.chromaUrl'
      : 'Nothing to do: the built-in store works. To use Chroma on Linux it needs glibc 2.39 or newer, or set memory.chromaUrl',
  };
}

async function sqliteVecWorks(): Promise<true | string> {
  try {
    const { default: Database } = await import('better-sqlite3');
    const sqliteVec = await import('sqlite-vec');
    const db = new Database(':memory:');
    try {
      sqliteVec.load(db);
    } finally {
      db.close();
    }
    return true;
  } catch (error) {
    return describeError(error);
  }
}

async function chromaWorks(url: string | undefined, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<true | string> {
  if (url) {
    try {
      const { openChromaStore } = await import('../agents/memory/chroma-store.ts');
      await (await openChromaStore({ url, signal: AbortSignal.timeout(timeoutMs) })).close();
      return true;
    } catch (error) {
      return describeError(error);
    }
  }
  const dir = mkdtempSync(join(tmpdir(), 'daily-brief-doctor-'));
  try {
    const { ChromaSupervisor } = await import('../agents/memory/chroma-server.ts');
    const supervisor = new ChromaSupervisor({ dataDir: dir, env, startTimeoutMs: Math.max(timeoutMs, 10_000) });
    try {
      await supervisor.start();
      return true;
    } finally {
      await supervisor.stop();
    }
  } catch (error) {
    return describeError(error).replace(/^Chroma could not start: /, '');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
