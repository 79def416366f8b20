import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOllamaServer, type OllamaServer } from '../fakes/ollama-server.ts';
import { Faults, localSettings } from './children.ts';
import { startGatedFeed, type GatedFeed } from './gated-feed.ts';

const faults = new Faults();
let feed: GatedFeed;
let ollama: OllamaServer;

beforeAll(async () => {
  feed = await startGatedFeed();
  feed.open();
  // A small model in JSON mode that answers garbage every time.
  ollama = await startOllamaServer({ respond: () => ({ content: '{{{ "tldr": [ {{{ not json' }) });
});
afterAll(async () => {
  await faults.cleanup();
  await feed.close();
  await ollama.close();
});

describe('refresh --json', () => {
  it('keeps stderr for one-line failures only: raw model output never reaches it', async () => {
    const dir = faults.tempDir();
    writeFileSync(
      join(dir, 'settings.json'),
      JSON.stringify({
        ...localSettings(feed.url),
        llm: { provider: 'ollama', baseUrl: ollama.baseUrl, model: 'llama3.2:3b' },
      }),
    );
    const result = await faults.run(['--data-dir', dir, 'refresh', '--json'], { OLLAMA_HOST: ollama.baseUrl });
    expect(ollama.calls.chat).toBeGreaterThan(0);
    expect(result.stderr).not.toMatch(/\{\{\{|not json/);
    if (result.code === 0) expect(result.stderr).toBe('');
    else expect(result.stderr).toMatch(/^daily-brief: [^\n]+\n$/);
    expect((JSON.parse(result.stdout) as { id: string }).id).toMatch(/^brief-/);
  }, 60_000);
});
