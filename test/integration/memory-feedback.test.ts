import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { demoConnectors } from '../../connectors/demo/demo.ts';
import { fixedClock } from '../../core/clock.ts';
import { memoryLogger } from '../../core/log.ts';
import { BriefService } from '../../app/service.ts';
import { startOllamaServer, type OllamaServer } from '../fakes/ollama-server.ts';
import { briefReply, isWriteCall, llmSettings, MORNING } from '../helpers/llm.ts';

const servers: OllamaServer[] = [];
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('feedback in memory', () => {
  it('remembers each vote and mute once, at the next refresh, as a searchable record', async () => {
    const server = await startOllamaServer({
      respond: (request) => (isWriteCall(request) ? briefReply(request) : { content: 'nothing to look up' }),
    });
    servers.push(server);
    const dir = mkdtempSync(join(tmpdir(), 'db-memfb-'));
    dirs.push(dir);
    const svc = new BriefService({
      dataDir: dir,
      clock: fixedClock(MORNING),
      settings: llmSettings(server.baseUrl),
      connectors: demoConnectors(),
      log: memoryLogger(),
    });
    await svc.refresh({ trigger: 'test' });
    await svc.feedback({ itemId: 'rss:n-3002', action: 'up' });
    await svc.feedback({ itemId: 'gmail:m-1004', action: 'mute' });
    const before = server.embedInputCount();
    await svc.refresh({ trigger: 'test' });
    const texts = server.embedRequests.flatMap((r) => (Array.isArray(r.input) ? r.input : [r.input]));
    const feedbackTexts = texts.filter((t) => t.includes('Feedback on 2026-12-01'));
    expect(feedbackTexts).toHaveLength(2);
    expect(feedbackTexts[0]).toMatch(/you gave 👍 \(liked\) news “Chipmakers lead stocks higher; index up 1\.2%” from/);
    expect(feedbackTexts[1]).toMatch(/you muted sender /);
    expect(server.embedInputCount()).toBeGreaterThan(before);
    // A third refresh has nothing new to remember.
    const requestsBefore = server.embedRequests.length;
    await svc.refresh({ trigger: 'test' });
    const third = server.embedRequests
      .slice(requestsBefore)
      .flatMap((r) => (Array.isArray(r.input) ? r.input : [r.input]))
      .filter((t) => t.includes('Feedback on'));
    expect(third).toEqual([]);
    svc.close();
    const db = new Database(join(dir, 'daily-brief.db'));
    // The ranking read the candidates' and the voted item's vectors from memory, and kept them for re-ranks.
    const kept = db.prepare('SELECT item_id FROM rank_vectors').all() as { item_id: string }[];
    expect(kept.map((r) => r.item_id)).toContain('rss:n-3002');
    expect(kept.length).toBeGreaterThan(10);
    const rows = db.prepare(`SELECT id, state FROM memory_index WHERE kind = 'feedback' ORDER BY id`).all();
    expect(rows).toEqual([
      { id: 'feedback:1', state: 'embedded' },
      { id: 'feedback:2', state: 'embedded' },
    ]);
    db.close();
  });
});
