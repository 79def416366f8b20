/**
 * `npm run bench:feedback`: how long a vote takes to take effect. A heavy day (300 stories, 150 emails, 20
 * meetings) is refreshed once without a model; then 100 votes and mutes go through the service, each one
 * appending the event, learning from it and re-ranking and storing today's brief. Then the model is rebuilt from
 * a 2,000-event log, as every new process does. BENCH_SMOKE=1: a light day (30 stories, 15 emails, 4
 * meetings), 10 votes, a 200-event log rebuilt twice. Prints figures; nothing is asserted.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Connector } from '../connectors/types.ts';
import { fixedClock } from '../core/clock.ts';
import { memoryLogger } from '../core/log.ts';
import { BriefService } from '../app/service.ts';
import { parseSettings } from '../core/settings.ts';
import { snapshotOf } from '../agents/preferences/features.ts';
import { PreferenceModel } from '../agents/preferences/model.ts';
import { generateCorpus } from '../eval/lib/corpus.ts';
import { createRandom } from './lib/random.ts';
import { sized } from './lib/smoke.ts';
import { quantile } from './lib/stats.ts';

const VOTES = sized(100, 10);
const LOG_EVENTS = sized(2000, 200);
const REBUILDS = sized(10, 2);

const day = generateCorpus({
  days: 1,
  newsPerDay: sized(300, 30),
  emailsPerDay: sized(150, 15),
  eventsPerDay: sized(20, 4),
  seed: 7,
  start: Date.parse('2026-12-01T07:00:00Z'),
}).flat();
const items = day.map((e) => e.item);
const connector: Connector = {
  id: 'bench',
  label: 'bench',
  kinds: ['news', 'email', 'event'],
  enabled: () => true,
  fetch: () => Promise.resolve({ items, warnings: [] }),
};
const dir = mkdtempSync(join(tmpdir(), 'db-bench-feedback-'));
const service = new BriefService({
  dataDir: dir,
  clock: fixedClock('2026-12-01T07:00:00.000Z'),
  settings: {
    settings: parseSettings({
      llm: { provider: 'none' },
      location: { name: 'Bench', latitude: 0, longitude: 0, timezone: 'UTC' },
    }),
    fromFile: false,
    locationSet: true,
  },
  connectors: [connector],
  log: memoryLogger(),
  memory: false,
});

try {
  await service.refresh({ trigger: 'bench' });
  const rnd = createRandom(11);
  const times: number[] = [];
  for (let i = 0; i < VOTES; i++) {
    const item = rnd.pick(items);
    const action = i % 10 === 9 ? 'mute' : rnd.random() < 0.6 ? 'up' : 'down';
    const started = performance.now();
    await service.feedback({ itemId: item.id, action });
    times.push(performance.now() - started);
  }
  const f = (ms: number): string => `${ms.toFixed(1)} ms`;
  console.log(`bench:feedback — ${String(items.length)} candidates in today's brief, ${String(VOTES)} votes and mutes`);
  console.log(
    `  vote → re-ranked brief stored (append, learn, re-rank, write): median ${f(quantile(times, 0.5))}, p95 ${f(quantile(times, 0.95))}, max ${f(Math.max(...times))}`,
  );
  const events = Array.from({ length: LOG_EVENTS }, (_, i) => {
    const item = rnd.pick(items);
    return {
      seq: i + 1,
      at: new Date(Date.parse('2026-06-01T00:00:00Z') + i * 3_600_000).toISOString(),
      itemId: item.id,
      action: rnd.random() < 0.6 ? ('up' as const) : ('down' as const),
      snapshot: snapshotOf(item),
    };
  });
  const rebuilds: number[] = [];
  for (let i = 0; i < REBUILDS; i++) {
    const started = performance.now();
    PreferenceModel.replay(events);
    rebuilds.push(performance.now() - started);
  }
  console.log(
    `  rebuild the model from a ${LOG_EVENTS.toLocaleString('en-US')}-event log: median ${f(quantile(rebuilds, 0.5))} (${String(REBUILDS)} runs)`,
  );
} finally {
  service.close();
  rmSync(dir, { recursive: true, force: true });
}
