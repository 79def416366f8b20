/**
 * A separate process writing to one data dir the way a refresh does (run, items, brief, values, feedback),
 * for the concurrency test. Prints one JSON line: the rounds that failed and why.
 * Usage: node writer.ts <dataDir> <name> <rounds>
 */
import type { Brief, Item } from '../../types.ts';
import { Store } from '../store.ts';

const [dataDir = '', name = 'w', roundsArg = '10'] = process.argv.slice(2);
const rounds = Number(roundsArg);
const errors: string[] = [];
let store: Store | undefined;

function items(round: number): Item[] {
  // Shared ids (every writer updates them) and this writer's own, changing each round so every write is real.
  return Array.from({ length: 40 }, (_, i) => ({
    id: i < 20 ? `rss:shared-${i}` : `rss:${name}-${i}`,
    kind: 'news' as const,
    source: 'rss',
    title: `headline ${i} from ${name} round ${round}`,
    snippet: 'text '.repeat(20),
    tags: [],
  }));
}

function brief(id: string, at: string): Brief {
  return {
    id,
    generatedAt: at,
    dataAsOf: at,
    date: at.slice(0, 10),
    timezone: 'UTC',
    tldr: [],
    sections: [],
    weather: null,
    sources: [{ id: 'rss', status: 'ok', itemCount: 40, durationMs: 1 }],
    generator: { mode: 'extractive', model: null, llmCalls: 0, promptTokens: 0, completionTokens: 0, durationMs: 0 },
    timings: { fetchMs: 1, totalMs: 1 },
    notices: [],
  };
}

try {
  store = Store.open(dataDir);
  for (let round = 0; round < rounds; round++) {
    const at = new Date(Date.UTC(2026, 11, 1, 6, 0, round)).toISOString();
    try {
      const run = store.startRun('test', at);
      const batch = items(round);
      const { changedIds } = store.upsertItems(run, batch, at);
      store.putValue(`last-${name}`, round, at);
      store.saveBrief(brief(`brief-${name}-${round}`, at), run, at, changedIds, {
        candidates: batch.map((item, i) => ({ itemId: item.id, base: i / 40, stale: false })),
      });
    } catch (error) {
      errors.push(`round ${round}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
} catch (error) {
  errors.push(`open: ${error instanceof Error ? error.message : String(error)}`);
} finally {
  store?.close();
}
process.stdout.write(`${JSON.stringify({ name, errors })}\n`);
