import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { demoConnectors } from '../../connectors/demo/demo.ts';
import { hashEmbedder } from '../../agents/memory/embeddings.ts';
import { Memory } from '../../agents/memory/memory.ts';
import { SqliteVecStore } from '../../agents/memory/sqlite-vec-store.ts';
import { fixedClock } from '../../core/clock.ts';
import { memoryLogger } from '../../core/log.ts';
import { BriefService } from '../../app/service.ts';
import { Store } from '../../core/store/store.ts';
import type { Item } from '../../core/types.ts';
import { startOllamaServer, type ChatRequest, type ChatTurn, type OllamaServer } from '../fakes/ollama-server.ts';
import { briefReply, idsInRequest, isWriteCall, llmSettings, MORNING } from '../helpers/llm.ts';

const servers: OllamaServer[] = [];
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'db-memory-'));
  dirs.push(dir);
  return dir;
}

/** Briefs and answers: a valid brief for write calls, an answer citing the first block for ask calls. */
function respond(request: ChatRequest): ChatTurn {
  const system = request.messages[0]?.content ?? '';
  if (system.startsWith('You answer the user')) {
    const ids = idsInRequest(request);
    return {
      content: JSON.stringify({ answer: 'The renewal review is at 11:00 in Room 4B.', itemIds: ids.slice(0, 1) }),
    };
  }
  return isWriteCall(request) ? briefReply(request) : { content: 'nothing to look up' };
}

async function ollama(models = ['llama3.2:3b', 'nomic-embed-text:latest']) {
  const server = await startOllamaServer({ models, respond });
  servers.push(server);
  return server;
}

function service(server: { baseUrl: string }, dataDir: string) {
  return new BriefService({
    dataDir,
    clock: fixedClock(MORNING),
    settings: llmSettings(server.baseUrl, { model: 'llama3.2:3b' }),
    connectors: demoConnectors(),
    log: memoryLogger(),
  });
}

describe('memory through refreshes', () => {
  it('embeds new text once: a second refresh with nothing changed sends nothing to /api/embed', async () => {
    const server = await ollama();
    const dir = tempDir();
    const svc = service(server, dir);
    await svc.refresh({ trigger: 'test' });
    const first = server.embedInputCount();
    // 4 emails + 5 events + 4 news + 3 stories, then the brief and its action item; and meeting prep's four
    // queries (one per meeting with other people today), which the next refresh finds in the query cache.
    expect(first).toBe(16 + 2 + 4);
    expect(server.embedRequests.every((r) => r.model === 'nomic-embed-text')).toBe(true);
    expect(server.embedRequests.flatMap((r) => (Array.isArray(r.input) ? r.input : [r.input]))[0]).toMatch(
      /^search_document: /,
    );
    await svc.refresh({ trigger: 'test' });
    expect(server.embedInputCount()).toBe(first);
    svc.close();
  });

  it('re-embeds an item whose text changed, and only that item', async () => {
    const server = await ollama();
    const dir = tempDir();
    const connectors = demoConnectors();
    const svc = new BriefService({
      dataDir: dir,
      clock: fixedClock(MORNING),
      settings: llmSettings(server.baseUrl),
      connectors,
      log: memoryLogger(),
    });
    await svc.refresh({ trigger: 'test' });
    const before = server.embedInputCount();
    const rss = connectors.find((c) => c.id === 'rss');
    if (!rss) throw new Error('no rss connector');
    const original = rss.fetch.bind(rss);
    rss.fetch = async (context) => {
      const result = await original(context);
      return {
        ...result,
        items: result.items.map((i, n) => (n === 0 ? { ...i, snippet: `${i.snippet} Updated.` } : i)),
      };
    };
    await svc.refresh({ trigger: 'test' });
    svc.close();
    const inputs = server.embedRequests.slice(-1)[0]?.input;
    expect(server.embedInputCount()).toBe(before + 1);
    expect(String(inputs)).toContain('Updated.');
  });

  it('keeps working with keyword search when embeddings are down, and catches up later', async () => {
    const dir = tempDir();
    const down = await ollama(['llama3.2:3b']); // no embedding model installed
    const svc = service(down, dir);
    const brief = await svc.refresh({ trigger: 'test' });
    expect(brief.tldr).toHaveLength(3);
    expect(down.embedInputCount()).toBe(0);
    const answer = await svc.ask('Northwind renewal');
    expect(answer.mode).toBe('llm');
    expect(answer.citations.map((c) => c.itemId)).toHaveLength(1);
    svc.close();

    const db = Store.open(dir);
    const pending = db.db
      .prepare<[], { n: number }>("SELECT count(*) AS n FROM memory_index WHERE state = 'pending'")
      .get();
    expect(pending?.n).toBe(18);
    db.close();

    const back = await ollama();
    const again = service(back, dir);
    await again.refresh({ trigger: 'test' });
    again.close();
    // Everything owed is embedded now, once (and meeting prep's four queries, made for the first time).
    expect(back.embedInputCount()).toBe(18 + 4);
  });
});

describe('ask', () => {
  it('answers from memory with citations, and lists the matches when no model can answer', async () => {
    const server = await ollama();
    const dir = tempDir();
    const svc = service(server, dir);
    await svc.refresh({ trigger: 'test' });
    const answer = await svc.ask('When is the Northwind renewal review?');
    expect(answer).toMatchObject({ mode: 'llm', answer: 'The renewal review is at 11:00 in Room 4B.' });
    expect(answer.citations).toHaveLength(1);
    // The fake cites the first match it was given: one of the Northwind items.
    expect(['gmail:m-1001', 'calendar:e-2002']).toContain(answer.citations[0]?.itemId);
    svc.close();

    await server.close();
    servers.splice(0);
    const offline = service({ baseUrl: 'http://127.0.0.1:9' }, dir);
    const fallback = await offline.ask('Northwind');
    offline.close();
    expect(fallback.mode).toBe('search');
    expect(fallback.answer).toMatch(/^No model could answer, so here are the closest matches for “Northwind”:\n1\. /);
    expect(fallback.citations.map((c) => c.itemId)).toEqual(
      expect.arrayContaining(['gmail:m-1001', 'calendar:e-2002']),
    );
  });
});

describe('Memory search and retention', () => {
  function item(id: string, kind: Item['kind'], title: string, publishedAt: string, extra: Partial<Item> = {}): Item {
    return {
      id,
      kind,
      source: kind === 'email' ? 'gmail' : 'rss',
      title,
      snippet: title,
      publishedAt,
      tags: [],
      ...extra,
    };
  }

  async function memoryWith(items: Item[], options: { retentionDays?: number; maxItems?: number; now?: string } = {}) {
    const dir = tempDir();
    const store = Store.open(dir);
    const run = store.startRun('test', MORNING);
    store.upsertItems(run, items, MORNING);
    const embedder = hashEmbedder(64);
    const clock = { now: Date.parse(options.now ?? MORNING) };
    const memory = new Memory({
      store,
      vectors: new SqliteVecStore(store.db),
      embedder,
      log: memoryLogger(),
      timezone: 'Europe/Berlin',
      retentionDays: options.retentionDays ?? 180,
      maxItems: options.maxItems ?? 1000,
      now: () => clock.now,
    });
    await memory.ingest(items, new AbortController().signal);
    return { memory, store, embedder, clock };
  }

  const signal = new AbortController().signal;

  it('merges semantic and keyword matches, one hit per item, with filters', async () => {
    const { memory, store } = await memoryWith([
      item('gmail:1', 'email', 'Northwind contract redlines due today', '2026-12-01T05:00:00Z'),
      item('rss:1', 'news', 'Central bank holds interest rates steady', '2026-11-30T05:00:00Z'),
      item('rss:2', 'news', 'Northwind Traders shares jump', '2026-12-01T04:00:00Z'),
    ]);
    const hits = await memory.search('Northwind contract', {}, signal);
    expect(hits[0]?.itemId).toBe('gmail:1');
    expect(hits[0]?.via).toBe('both');
    expect(new Set(hits.map((h) => h.itemId)).size).toBe(hits.length);
    const news = await memory.search('Northwind', { kinds: ['news'] }, signal);
    expect(news[0]?.itemId).toBe('rss:2');
    expect(news.every((h) => h.kind === 'news')).toBe(true);
    const recent = await memory.search('rates', { since: Date.parse('2026-12-01T00:00:00Z') }, signal);
    expect(recent.map((h) => h.itemId)).not.toContain('rss:1');
    store.close();
  });

  it('drops records older than the retention period, then the oldest beyond the count limit', async () => {
    // Remembered in January, when the ancient story was news; pruned in December.
    const { memory, store, clock } = await memoryWith(
      [
        item('rss:old', 'news', 'Ancient story', '2026-01-01T00:00:00Z'),
        item('rss:a', 'news', 'Story A', '2026-11-29T00:00:00Z'),
        item('rss:b', 'news', 'Story B', '2026-11-30T00:00:00Z'),
        item('rss:c', 'news', 'Story C', '2026-12-01T00:00:00Z'),
      ],
      { retentionDays: 90, maxItems: 2, now: '2026-01-02T00:00:00Z' },
    );
    expect(store.db.prepare<[], { n: number }>('SELECT count(*) AS n FROM memory_index').get()?.n).toBe(4);
    clock.now = Date.parse(MORNING);
    expect(await memory.retain()).toBe(2);
    const left = store.db.prepare<[], { id: string }>('SELECT id FROM memory_index ORDER BY id').all();
    expect(left.map((r) => r.id)).toEqual(['rss:b', 'rss:c']);
    const hits = await memory.search('story', {}, signal);
    expect(
      hits
        .filter((h) => h.via !== 'keyword')
        .map((h) => h.itemId)
        .sort(),
    ).toEqual(['rss:b', 'rss:c']);
    store.close();
  });

  it('does not embed what retention would drop at once: past the retention period, or older than a full index', async () => {
    const { memory, store, embedder } = await memoryWith(
      [
        item('rss:b', 'news', 'Story B', '2026-11-30T00:00:00Z'),
        item('rss:c', 'news', 'Story C', '2026-12-01T00:00:00Z'),
      ],
      { retentionDays: 90, maxItems: 2 },
    );
    expect(embedder.inputs).toBe(2);
    const report = await memory.ingest(
      [
        item('rss:old', 'news', 'Ancient story', '2026-01-01T00:00:00Z'),
        item('rss:a', 'news', 'Story A, older than everything kept', '2026-11-29T00:00:00Z'),
        item('rss:b', 'news', 'Story B', '2026-11-30T00:00:00Z'),
        item('rss:d', 'news', 'Story D, newest', '2026-12-01T05:00:00Z'),
      ],
      signal,
    );
    expect(report).toEqual({ embedded: 1, unchanged: 1, pending: 0 });
    expect(embedder.inputs).toBe(3);
    const ids = store.db.prepare<[], { id: string }>('SELECT id FROM memory_index ORDER BY id').all();
    expect(ids.map((r) => r.id)).toEqual(['rss:b', 'rss:c', 'rss:d']);
    store.close();
  });
});
