import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { hashEmbedder } from '../../agents/memory/embeddings.ts';
import { backendChoice, openMemory } from '../../agents/memory/open.ts';
import { memoryLogger } from '../../core/log.ts';
import { parseSettings } from '../../core/settings.ts';
import { Store } from '../../core/store/store.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('opening the memory', () => {
  it('falls back to sqlite-vec, in one line, when the Chroma server cannot start here', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'db-open-'));
    dirs.push(dir);
    const store = Store.open(dir);
    const log = memoryLogger();
    // A loader that does not exist: the same outcome as Chroma's binary failing on an old glibc.
    const env = { DAILY_BRIEF_CHROMA_GLIBC: join(dir, 'no-such-glibc') };
    const opened = await openMemory({
      dataDir: dir,
      store,
      settings: parseSettings({ memory: { backend: 'auto' } }),
      log,
      signal: new AbortController().signal,
      now: () => Date.now(),
      env,
      embedder: hashEmbedder(32),
    });
    expect(opened?.memory.backend).toBe('sqlite-vec');
    expect(opened?.notice).toMatch(/^Chroma is not available \(.+\); memory uses the built-in SQLite vector store$/);
    expect(opened?.notice).not.toContain('\n');
    expect(log.lines.some((l) => l.message === 'chroma unavailable; falling back to sqlite-vec')).toBe(true);
    await opened?.memory.close();
    store.close();
  });

  it('takes the back end from settings, then the environment, then auto', () => {
    expect(
      backendChoice(parseSettings({ memory: { backend: 'chroma' } }), { DAILY_BRIEF_MEMORY_BACKEND: 'sqlite-vec' }),
    ).toBe('chroma');
    expect(backendChoice(parseSettings({}), { DAILY_BRIEF_MEMORY_BACKEND: 'sqlite-vec' })).toBe('sqlite-vec');
    expect(backendChoice(parseSettings({}), {})).toBe('auto');
  });

  it('is off when memory is disabled', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'db-open-'));
    dirs.push(dir);
    const store = Store.open(dir);
    const opened = await openMemory({
      dataDir: dir,
      store,
      settings: parseSettings({ memory: { enabled: false } }),
      log: memoryLogger(),
      signal: new AbortController().signal,
      now: () => Date.now(),
    });
    expect(opened).toBeUndefined();
    store.close();
  });
});
