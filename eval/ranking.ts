/**
 * `npm run eval:ranking`: how well the preference model learns, against the keyword-boost scheme, on a
 * reproducible corpus and simulated users (eval/lib). Prints figures; eval/ranking.test.ts checks the
 * targets on the same deterministic run. BENCH_SMOKE=1: 3 users over 12 days, so the targets may read MISSED there.
 */
import { sized } from '../bench/lib/smoke.ts';
import { DEFAULT_CORPUS } from './lib/corpus.ts';
import { evaluateRanking, DEFAULT_EVAL, type EvalOptions } from './lib/evaluate.ts';

const OPTIONS: EvalOptions = sized(DEFAULT_EVAL, { users: 3, testDays: 2, corpus: { ...DEFAULT_CORPUS, days: 12 } });

const started = performance.now();
const report = evaluateRanking(OPTIONS);
const f = (n: number | undefined): string => (n === undefined || Number.isNaN(n) ? '  n/a' : n.toFixed(3));
console.log(
  `Ranking evaluation: ${String(report.items)} items over ${String(OPTIONS.corpus.days)} days, ${String(report.users)} simulated users, NDCG@5 on ${String(OPTIONS.testDays)} held-out days`,
);
console.log('votes  app model  app + interests  keyword baseline  app − baseline  keywords + urgency rule');
for (const cp of [0, 10, 25, 50]) {
  const app = report.ndcg.app[cp];
  const base = report.ndcg.keywordBaseline[cp];
  console.log(
    `${String(cp).padStart(5)}  ${f(app).padStart(9)}  ${f(report.ndcg.appWithInterests[cp]).padStart(15)}  ${f(base).padStart(16)}  ${f((app ?? NaN) - (base ?? NaN)).padStart(14)}  ${f(report.ndcg.keywordWithUrgency[cp]).padStart(23)}`,
  );
}
const at25 = report.ndcg.app[25] ?? NaN;
const gap = at25 - (report.ndcg.keywordBaseline[25] ?? NaN);
console.log(`target NDCG@5 ≥ 0.85 after 25 votes: ${f(at25)} ${at25 >= 0.85 ? 'met' : 'MISSED'}`);
console.log(`target ≥ 0.15 above baseline after 25 votes: +${f(gap)} ${gap >= 0.15 ? 'met' : 'MISSED'}`);
console.log(
  `mutes: ${String(report.mutes)} made, ${String(report.mutedShown)} muted items shown afterwards (target 0)`,
);
console.log(
  `replay: ${String(report.replay.identical)} of ${String(report.replay.compared)} scores identical after rebuilding from the log`,
);
console.log(`took ${String(Math.round(performance.now() - started))} ms`);
