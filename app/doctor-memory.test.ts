import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { checkMemory } from './doctor-memory.ts';
import { parseSettings } from '../core/settings.ts';

describe('doctor: memory', () => {
  it('warns, with the reason, when Chroma cannot run here and the built-in store takes over', async () => {
    const check = await checkMemory(
      parseSettings({ memory: { backend: 'auto' } }),
      { DAILY_BRIEF_CHROMA_GLIBC: join(tmpdir(), 'no-such-glibc-dir') },
      3000,
    );
    expect(check.status).toBe('warn');
    expect(check.detail).toMatch(/^Chroma is not available \(.+\); memory uses the built-in SQLite vector store/);
    expect(check.detail).not.toContain('\n');
  });

  it('is ok with the bundled Chroma when it can start (here: under the test glibc)', async () => {
    const glibc = process.env.DAILY_BRIEF_CHROMA_GLIBC;
    if (!glibc && process.env.CI) throw new Error('the test setup did not provide DAILY_BRIEF_CHROMA_GLIBC');
    const check = await checkMemory(parseSettings({ memory: { backend: 'auto' } }), { ...process.env }, 3000);
    expect(check).toMatchObject({ status: 'ok', detail: 'Memory: Chroma (a Chroma server the app runs itself)' });
  });

  it('fails when a configured Chroma server does not answer', async () => {
    const check = await checkMemory(parseSettings({ memory: { chromaUrl: 'http://127.0.0.1:1' } }), {}, 1000);
    expect(check.status).toBe('fail');
    expect(check.fix).toBe('Start that Chroma server, or remove memory.chromaUrl');
  });

  it('reports sqlite-vec when it is chosen, and skips when memory is off', async () => {
    expect(await checkMemory(parseSettings({ memory: { backend: 'sqlite-vec' } }), {}, 1000)).toMatchObject({
      status: 'ok',
    });
    expect((await checkMemory(parseSettings({ memory: { enabled: false } }), {}, 1000)).status).toBe('skip');
  });
});
