import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { TestProject } from 'vitest/node';
import { CHROMA_GLIBC_ENV, ChromaSupervisor, chromaLoaderFromEnv } from '../../agents/memory/chroma-server.ts';
import { AppError, describeError } from '../../core/errors.ts';
import { isCi } from '../helpers/ci.ts';

/**
 * vitest globalSetup: one real Chroma server for the whole run (tests use fresh collections on it).
 *
 * - $CHROMA_TEST_URL set: that server is used as it is.
 * - Otherwise the bundled `chroma run` is started in a temporary directory. Where its binary needs a newer glibc
 *   (Debian 12 has 2.36, it needs 2.39), scripts/trixie-glibc.sh unpacks Debian trixie's glibc into a cache
 *   (~/.cache/daily-brief/trixie-glibc) and the server runs through that loader; $DAILY_BRIEF_CHROMA_GLIBC is then
 *   set for the test workers, so that tests which start their own supervisors run them the same way.
 * - When Chroma cannot start by either route: with CI set the run fails here; on a developer's machine the run goes
 *   on and every test that needs Chroma fails with the reason and the fix (never a quiet skip).
 *
 * This is test set-up only: the app never fetches a glibc, it falls back to sqlite-vec.
 */

declare module 'vitest' {
  export interface ProvidedContext {
    /** The test Chroma server's URL, or '' when it could not start (then chromaError says why). */
    chromaUrl: string;
    /** Why there is no test server, with the fix; '' when there is one. */
    chromaError: string;
    /** The glibc lib dir the server runs through; '' when it runs directly. */
    chromaGlibc: string;
  }
}

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SCRIPT_TIMEOUT_MS = 300_000;

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const external = process.env.CHROMA_TEST_URL;
  if (external) {
    provideAll(project, external, '', process.env[CHROMA_GLIBC_ENV] ?? '');
    return () => Promise.resolve();
  }

  const dataDir = mkdtempSync(join(tmpdir(), 'daily-brief-chroma-test-'));
  let supervisor: ChromaSupervisor | undefined;
  let glibc = process.env[CHROMA_GLIBC_ENV] ?? '';
  try {
    try {
      supervisor = await startIn(dataDir, glibc);
    } catch (error) {
      // Only a glibc that is too old is fixed by the loader; any other failure is reported as it is.
      if (glibc || !(error instanceof AppError && error.code === 'chroma_glibc')) throw error;
      glibc = await trixieGlibc();
      supervisor = await startIn(dataDir, glibc);
      process.env[CHROMA_GLIBC_ENV] = glibc;
    }
  } catch (error) {
    rmSync(dataDir, { recursive: true, force: true });
    const message =
      `Chroma could not start for the tests (${describeError(error)}). Where glibc is older than 2.39 (Debian 12), ` +
      'run scripts/trixie-glibc.sh and see DEVELOPERS.md, or set CHROMA_TEST_URL to a running Chroma server';
    if (isCi()) throw new Error(message, { cause: error });
    console.warn(`\n${message}\n`);
    provideAll(project, '', message, '');
    return () => Promise.resolve();
  }

  const running = supervisor;
  provideAll(project, running.url ?? '', '', glibc);
  return async () => {
    await running.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
}

function provideAll(project: TestProject, url: string, error: string, glibc: string): void {
  project.provide('chromaUrl', url);
  project.provide('chromaError', error);
  project.provide('chromaGlibc', glibc);
}

async function startIn(dataDir: string, glibc: string): Promise<ChromaSupervisor> {
  const loader = glibc ? chromaLoaderFromEnv({ [CHROMA_GLIBC_ENV]: glibc }) : null;
  const supervisor = new ChromaSupervisor({ dataDir, loader });
  await supervisor.start();
  return supervisor;
}

/** The cached trixie glibc (the script does nothing when the cache is there) and its lib dir. */
async function trixieGlibc(): Promise<string> {
  try {
    const { stdout } = await promisify(execFile)('bash', [join(ROOT, 'scripts', 'trixie-glibc.sh')], {
      cwd: ROOT,
      timeout: SCRIPT_TIMEOUT_MS,
    });
    const lib = stdout.trim().split('\n').at(-1)?.trim();
    if (!lib) throw new Error('it printed no lib dir');
    return lib;
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim().split('\n').at(-1);
    throw new AppError('chroma_glibc', `scripts/trixie-glibc.sh failed (${stderr || describeError(error)})`, {
      cause: error,
    });
  }
}
