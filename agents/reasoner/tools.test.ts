import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tool } from '@langchain/core/tools';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { memoryLogger } from '../../core/log.ts';
import { Store } from '../../core/store/store.ts';
import type { Item } from '../../core/types.ts';
import { reasonerTools, runToolCall, TOOL_NAMES, type ToolCallRequest, type ToolContext } from './tools.ts';

const TZ = 'Europe/Berlin';
const NOW = '2026-12-01T06:00:00.000Z';
const LONG_BODY = `${'The full contract text follows. '.repeat(200)}TAIL-OF-THE-BODY`;

const ITEMS: Item[] = [
  {
    id: 'gmail:m-1',
    kind: 'email',
    source: 'gmail',
    author: 'Legal <legal@northwind.example>',
    title: 'Northwind redlines: answer needed by 15:00',
    snippet: 'Please confirm sections 4.2 and 7.1 of the Northwind redlines.',
    body: LONG_BODY,
    publishedAt: '2026-12-01T05:40:00.000Z',
    tags: [],
  },
  {
    id: 'gmail:m-2',
    kind: 'email',
    source: 'gmail',
    author: 'Team lunch',
    title: 'Lunch on Friday',
    snippet: 'Pizza or sushi?',
    publishedAt: '2026-11-28T10:00:00.000Z',
    tags: [],
  },
  {
    id: 'calendar:e-1',
    kind: 'event',
    source: 'calendar',
    origin: 'Work',
    title: 'Northwind renewal review',
    snippet: 'Room 4.01',
    start: '2026-12-01T10:00:00.000Z',
    end: '2026-12-01T11:00:00.000Z',
    tags: [],
  },
  {
    id: 'rss:n-1',
    kind: 'news',
    source: 'rss',
    origin: 'Markets Daily',
    title: 'Central bank holds rates at 4.25%',
    snippet: 'Two cuts are pencilled in for next year.',
    publishedAt: '2026-12-01T04:00:00.000Z',
    category: 'market',
    tags: [],
  },
];

/** Every row of every table, hashed: any write anywhere changes it. */
function fingerprint(store: Store): string {
  const tables = store.db
    .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
    .all()
    .map((t) => t.name);
  const hash = createHash('sha256');
  for (const table of tables) {
    const rows = store.db.prepare(`SELECT * FROM "${table}"`).all();
    hash.update(`${table}\n${JSON.stringify(rows)}\n`);
  }
  return hash.digest('hex');
}

function totalChanges(store: Store): number {
  return store.db.prepare<[], { n: number }>('SELECT total_changes() AS n').get()?.n ?? -1;
}

describe('reasoner tools over a real store', () => {
  let dir: string;
  let store: Store;
  let log: ReturnType<typeof memoryLogger>;
  let context: ToolContext;
  let before: { fingerprint: string; changes: number; count: number };
  let statements: string[];

  const run = (name: string, args: Record<string, unknown>) =>
    runToolCall({ name, args }, reasonerTools(context), context);

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'db-tools-'));
    store = Store.open(dir);
    const runId = store.startRun('test', NOW);
    store.upsertItems(runId, ITEMS, NOW);
    log = memoryLogger();
    context = { store, timezone: TZ, log };
    before = { fingerprint: fingerprint(store), changes: totalChanges(store), count: store.countItems() };
    statements = [];
    const prepare = store.db.prepare.bind(store.db);
    vi.spyOn(store.db, 'prepare').mockImplementation((sql: string) => {
      statements.push(sql);
      return prepare(sql);
    });
  });

  afterEach(() => {
    vi.restoreAllMocks();
    // Nothing a tool did may have written: no write statement was even prepared, and every table is as it was.
    expect(statements.filter((sql) => /^\s*(INSERT|UPDATE|DELETE|REPLACE|CREATE|DROP|ALTER)\b/i.test(sql))).toEqual([]);
    expect(totalChanges(store)).toBe(before.changes);
    expect(store.countItems()).toBe(before.count);
    expect(fingerprint(store)).toBe(before.fingerprint);
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('offers exactly the three read-only tools', () => {
    expect(reasonerTools(context).map((t) => t.name)).toEqual([...TOOL_NAMES]);
    expect(TOOL_NAMES).toEqual(['search_memory', 'get_item', 'list_items']);
  });

  describe('allowed tools return data blocks', () => {
    it('search_memory finds items by keyword, as blocks with a short text', async () => {
      const result = await run('search_memory', { query: 'Northwind' });
      expect(result.refused).toBe(false);
      const ids = [...result.content.matchAll(/⟦item id="([^"]+)"/g)].map((m) => m[1]);
      expect(ids.sort()).toEqual(['calendar:e-1', 'gmail:m-1']);
      expect((result.content.match(/⟦\/item⟧/g) ?? []).length).toBe(2);
      // 200 characters of text, never the whole body.
      expect(result.content).not.toContain('TAIL-OF-THE-BODY');
      const text = result.content.split('\n').find((l) => l.startsWith('text: The full contract'));
      expect(text?.length).toBe('text: '.length + 200);
      expect(statements.some((sql) => /items_fts MATCH/.test(sql))).toBe(true);
    });

    it('search_memory filters by kind, dates and limit', async () => {
      const events = await run('search_memory', { query: 'Northwind', kind: 'event' });
      expect([...events.content.matchAll(/id="([^"]+)"/g)].map((m) => m[1])).toEqual(['calendar:e-1']);
      const recent = await run('search_memory', { query: 'Northwind lunch', since: '2026-11-30' });
      expect(recent.content).not.toContain('gmail:m-2');
      const older = await run('search_memory', { query: 'lunch', until: '2026-11-30' });
      expect(older.content).toContain('⟦item id="gmail:m-2" kind="email" from="Team lunch"');
      const one = await run('search_memory', { query: 'Northwind', limit: 1 });
      expect((one.content.match(/⟦item /g) ?? []).length).toBe(1);
    });

    it('search_memory says so when nothing matches, and treats FTS syntax as plain words', async () => {
      expect(await run('search_memory', { query: 'zeppelin' })).toEqual({
        content: 'No matching items.',
        refused: false,
      });
      const syntax = await run('search_memory', { query: 'Northwind" OR * NEAR(' });
      expect(syntax.refused).toBe(false);
      expect(syntax.content).toContain('gmail:m-1');
    });

    it('get_item returns one item with up to 3000 characters of its body', async () => {
      const result = await run('get_item', { id: 'gmail:m-1' });
      expect(result.refused).toBe(false);
      const lines = result.content.split('\n');
      expect(lines[0]).toBe(
        '⟦item id="gmail:m-1" kind="email" from="Legal <legal@northwind.example>" time="2026-12-01 06:40"⟧',
      );
      expect(lines[1]).toBe('title: Northwind redlines: answer needed by 15:00');
      expect(lines[2]?.length).toBe('text: '.length + 3000);
      expect(lines[2]?.endsWith('…')).toBe(true);
      expect(lines.at(-1)).toBe('⟦/item⟧');
      expect(result.content).not.toContain('TAIL-OF-THE-BODY');
    });

    it('get_item says so for an unknown id', async () => {
      expect(await run('get_item', { id: 'gmail:nope' })).toEqual({
        content: 'No item with id gmail:nope.',
        refused: false,
      });
    });

    it('list_items lists by kind and date, newest first', async () => {
      const emails = await run('list_items', { kind: 'email' });
      expect([...emails.content.matchAll(/id="([^"]+)"/g)].map((m) => m[1])).toEqual(['gmail:m-1', 'gmail:m-2']);
      const all = await run('list_items', {});
      expect([...all.content.matchAll(/id="([^"]+)"/g)].map((m) => m[1])).toEqual([
        'calendar:e-1',
        'gmail:m-1',
        'rss:n-1',
        'gmail:m-2',
      ]);
      const today = await run('list_items', { since: '2026-12-01', limit: 2 });
      expect([...today.content.matchAll(/id="([^"]+)"/g)].map((m) => m[1])).toEqual(['calendar:e-1', 'gmail:m-1']);
      expect(await run('list_items', { kind: 'weather' })).toEqual({ content: 'No matching items.', refused: false });
    });
  });

  describe('anything outside the allow-list is refused and logged', () => {
    const names = [
      'send_email',
      'delete_item',
      '__proto__',
      'constructor',
      'toString',
      'hasOwnProperty',
      'GET_ITEM',
      'get_item ',
      ' search_memory',
      'list_items()',
      '',
    ];
    it.each(names)('refuses %j', async (name) => {
      const result = await run(name, { id: 'gmail:m-1', to: 'x@evil.example', query: 'Northwind' });
      expect(result.refused).toBe(true);
      expect(result.content).toBe(
        `Refused: "${name}" is not an available tool. Only search_memory, get_item, list_items exist, and they are read-only.`,
      );
      expect(log.lines).toEqual([
        { level: 'warn', message: 'refused a tool call outside the allow-list', fields: { tool: name } },
      ]);
      expect(statements).toEqual([]);
    });

    it('refuses a name outside the allow-list even when a tool of that name is handed in', async () => {
      const deleteItem = vi.fn(() => {
        store.db.prepare('DELETE FROM items').run();
        return 'deleted';
      });
      const rogue = tool(deleteItem, { name: 'delete_item', description: 'deletes', schema: z.object({}) });
      const result = await runToolCall({ name: 'delete_item', args: {} }, [...reasonerTools(context), rogue], context);
      expect(result.refused).toBe(true);
      expect(deleteItem).not.toHaveBeenCalled();
      expect(log.lines.map((l) => l.level)).toEqual(['warn']);
    });

    it('refuses an allowed name when no such tool was handed in', async () => {
      const result = await runToolCall({ name: 'get_item', args: { id: 'gmail:m-1' } }, [], context);
      expect(result.refused).toBe(true);
      expect(log.lines).toHaveLength(1);
    });

    it('keeps the refusal and the log line short for a huge name', async () => {
      const name = `send_email${'x'.repeat(5000)}`;
      const result = await run(name, {});
      expect(result.refused).toBe(true);
      expect(result.content.length).toBeLessThan(250);
      expect(log.lines[0]?.fields).toEqual({ tool: name.slice(0, 80) });
    });
  });

  describe('invalid arguments are answered, not thrown', () => {
    const cases: [string, Record<string, unknown>][] = [
      ['get_item', {}],
      ['get_item', { id: '' }],
      ['get_item', { id: 42 }],
      ['get_item', { id: 'x'.repeat(201) }],
      ['search_memory', {}],
      ['search_memory', { query: '' }],
      ['search_memory', { query: 'Northwind', kind: 'sms' }],
      ['search_memory', { query: 'Northwind', since: 'yesterday' }],
      ['search_memory', { query: 'Northwind', limit: 11 }],
      ['list_items', { limit: 0 }],
      ['list_items', { limit: '5' }],
      ['list_items', { limit: 2.5 }],
      ['list_items', { until: '1/12/2026' }],
    ];
    it.each(cases)('%s %j', async (name, args) => {
      const result = await run(name, args);
      expect(result.refused).toBe(false);
      expect(result.content).toMatch(/^The tool call failed: \S/);
      expect(result.content).not.toContain('\n');
      expect(result.content).not.toContain('⟦item');
      expect(log.lines.filter((l) => l.level === 'warn')).toEqual([]);
    });

    it('survives arguments that are not an object at all', async () => {
      for (const args of [null, 'gmail:m-1', 7, ['gmail:m-1']]) {
        const call = { name: 'get_item', args } as unknown as ToolCallRequest;
        const result = await runToolCall(call, reasonerTools(context), context);
        expect(result).toEqual({
          content: expect.stringMatching(/^The tool call failed: /) as unknown,
          refused: false,
        });
      }
    });
  });
});
