import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Store } from '../store.ts';

const WRITER = fileURLToPath(new URL('./writer.ts', import.meta.url));
const PROCESSES = 3;
const ROUNDS = 40;

/** Runs the writers side by side and returns each one's failed rounds. */
async function writeAtOnce(dataDir: string): Promise<{ name: string; errors: string[] }[]> {
  const runs = Array.from({ length: PROCESSES }, (_, i) => {
    const child = spawn(process.execPath, [WRITER, dataDir, `w${i}`, String(ROUNDS)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    return new Promise<{ name: string; errors: string[] }>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (code) => {
        if (code !== 0) reject(new Error(`writer w${i} exited ${code}: ${err}`));
        else resolve(JSON.parse(out) as { name: string; errors: string[] });
      });
    });
  });
  return Promise.all(runs);
}

describe('several processes writing to one database at once', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'db-concurrent-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('never fail with "database is locked": every write waits its turn', async () => {
    Store.open(dir).close();
    const results = await writeAtOnce(dir);
    expect(results.flatMap((r) => r.errors)).toEqual([]);
    const store = Store.open(dir);
    try {
      const runs = store.db.prepare<[], { status: string; n: number }>(
        'SELECT status, count(*) AS n FROM runs GROUP BY status',
      );
      expect(runs.all()).toEqual([{ status: 'ok', n: PROCESSES * ROUNDS }]);
      expect(store.listBriefs(1000)).toHaveLength(PROCESSES * ROUNDS);
    } finally {
      store.close();
    }
  });

  it('can all be the first to open a new data dir: the schema is made once', async () => {
    const results = await writeAtOnce(dir);
    expect(results.flatMap((r) => r.errors)).toEqual([]);
    const store = Store.open(dir);
    try {
      expect(store.listBriefs(1000)).toHaveLength(PROCESSES * ROUNDS);
    } finally {
      store.close();
    }
  });
});
