/**
 * `npm run eval:brief`: the brief's substance on a generated corpus with known answers (eval/lib):
 * stories told by several feeds, repeats across days, meetings with related mail, emails with deadlines,
 * model-like lines with and without support. eval/brief.test.ts checks the targets on the same run.
 */
import { DEFAULT_BRIEF_EVAL, evaluateBrief } from './lib/brief-evaluate.ts';

const started = performance.now();
const r = await evaluateBrief(DEFAULT_BRIEF_EVAL);
const f = (n: number): string => n.toFixed(3);
const target = (ok: boolean): string => (ok ? 'met' : 'MISSED');
console.log(
  `Brief evaluation: ${String(r.clusters.items)} news items over ${String(DEFAULT_BRIEF_EVAL.days)} days, ${String(r.meetingPrep.meetings)} meetings, ${String(r.deadlines.found)} deadlines found, ${String(r.grounding.lines)} model-like lines`,
);
console.log(
  `clusters (text method, no embedding model): pair precision ${f(r.clusters.precision)} (≥ 0.95 ${target(r.clusters.precision >= 0.95)}), recall ${f(r.clusters.recall)} (≥ 0.85 ${target(r.clusters.recall >= 0.85)}); ${String(r.clusters.found)} pairs found, ${String(r.clusters.expected)} true`,
);
console.log(
  `repeats: ${String(r.repeats.unchangedInLead)} of ${String(r.repeats.unchangedShown)} unchanged repeats in a lead position, share ${f(r.repeats.leadShare)} (target 0 ${target(r.repeats.leadShare === 0)}); ${String(r.repeats.flagged)} of ${String(r.repeats.updated)} changed stories marked updated`,
);
console.log(`meeting prep: recall@3 ${f(r.meetingPrep.recallAt3)} (≥ 0.8 ${target(r.meetingPrep.recallAt3 >= 0.8)})`);
console.log(
  `deadlines: precision ${f(r.deadlines.precision)} (≥ 0.9 ${target(r.deadlines.precision >= 0.9)}), recall ${f(r.deadlines.recall)} (≥ 0.8 ${target(r.deadlines.recall >= 0.8)}); ${String(r.deadlines.found)} found, ${String(r.deadlines.expected)} stated`,
);
console.log(
  `unsupported lines: precision ${f(r.grounding.precision)} (≥ 0.9 ${target(r.grounding.precision >= 0.9)}), recall ${f(r.grounding.recall)} (≥ 0.8 ${target(r.grounding.recall >= 0.8)}); ${String(r.grounding.found)} flagged, ${String(r.grounding.expected)} unsupported`,
);
console.log(`took ${String(Math.round(performance.now() - started))} ms`);
