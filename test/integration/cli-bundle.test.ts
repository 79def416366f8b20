import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUNDLE_ENTRY, MANIFEST, PROJECT_DIR, freshBundle } from '../../cli/bundle.js';
import { runCli, type CliResult } from '../helpers/cli.ts';

/** The bundle as `npm install` makes it, in a folder of its own so a developer's dist/cli is left alone. */
const OUT = join(PROJECT_DIR, 'dist', `cli-test-${process.pid}`);

function runBundle(args: string[]): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(OUT, BUNDLE_ENTRY), ...args], {
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      resolve({ code, signal, stdout, stderr });
    });
  });
}

describe('the bundled CLI', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'db-bundle-'));
    const built = spawnSync(process.execPath, [join(PROJECT_DIR, 'scripts', 'build-cli.js'), OUT], {
      encoding: 'utf8',
    });
    if (built.status !== 0 || built.stderr) throw new Error(`build-cli failed: ${built.stderr}`);
  }, 120_000);
  afterAll(() => {
    rmSync(OUT, { recursive: true, force: true });
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers every command exactly as the sources do', async () => {
    const sources = (args: string[]) => runCli(args, { DAILY_BRIEF_SOURCES: '1' });
    const same = async (args: string[]) => {
      const [fromSources, fromBundle] = await Promise.all([sources(args), runBundle(args)]);
      expect({ args, ...fromBundle }).toEqual({ args, ...fromSources });
      return fromBundle;
    };
    const data = ['--data-dir', dir];
    // No brief yet: the same one-line error and exit code, and nothing created.
    expect((await same([...data, 'show'])).code).toBe(1);
    // The sample day is read from a file next to its module: the bundle must still find it.
    const refreshed = await runBundle([...data, 'refresh', '--demo', '--json']);
    expect(refreshed.code).toBe(0);
    // Both run at once, so --details first: the first read of a brief says more than the later ones.
    for (const args of [
      ['show', '--demo', '--details'],
      ['show', '--demo'],
      ['show', '--demo', '--json'],
      ['show', '--demo', '--why'],
      ['sources', '--demo', '--json'],
      ['preferences', '--demo', '--json'],
      ['show', '--demo', '--bogus'],
    ]) {
      await same([...data, ...args]);
    }
    await same(['--help']);
    await same(['no-such-command']);
    await same(['show', '--help']);
  }, 120_000);

  it('is taken only while no file it was made from has changed or gone, and never with DAILY_BRIEF_SOURCES=1', () => {
    const project = mkdtempSync(join(tmpdir(), 'db-bundle-project-'));
    try {
      const bundle = join(project, 'dist', 'cli');
      mkdirSync(join(project, 'cli'), { recursive: true });
      mkdirSync(bundle, { recursive: true });
      const source = join(project, 'cli', 'main.ts');
      writeFileSync(source, '');
      const builtAt = Date.now();
      utimesSync(source, new Date(builtAt - 60_000), new Date(builtAt - 60_000));
      expect(freshBundle(bundle, project)).toBeUndefined(); // no manifest, no bundle

      writeFileSync(join(bundle, MANIFEST), JSON.stringify({ startedAt: builtAt, files: ['cli/main.ts'] }));
      expect(freshBundle(bundle, project)).toBeUndefined(); // a manifest, but no entry
      writeFileSync(join(bundle, BUNDLE_ENTRY), '');
      expect(freshBundle(bundle, project)).toBe(join(bundle, BUNDLE_ENTRY));

      process.env.DAILY_BRIEF_SOURCES = '1';
      expect(freshBundle(bundle, project)).toBeUndefined();
      delete process.env.DAILY_BRIEF_SOURCES;

      utimesSync(source, new Date(builtAt + 1000), new Date(builtAt + 1000)); // edited after the build began
      expect(freshBundle(bundle, project)).toBeUndefined();
      utimesSync(source, new Date(builtAt - 1000), new Date(builtAt - 1000));
      expect(freshBundle(bundle, project)).toBe(join(bundle, BUNDLE_ENTRY));
      rmSync(source); // gone (moved or deleted)
      expect(freshBundle(bundle, project)).toBeUndefined();
    } finally {
      delete process.env.DAILY_BRIEF_SOURCES;
      rmSync(project, { recursive: true, force: true });
    }
  });
});
