import { describe, expect, it } from 'vitest';
import { DEFAULT_EVAL, evaluateRanking } from './lib/evaluate.ts';

describe('the ranking evaluation (the same run as `npm run eval:ranking`)', () => {
  // Deterministic: the same corpus, users and votes every time, so these are the figures it prints.
  const report = evaluateRanking(DEFAULT_EVAL);

  it('reaches NDCG@5 ≥ 0.85 after 25 votes, at least 0.15 above the keyword-boost baseline', () => {
    expect(report.ndcg.app[25]).toBeGreaterThanOrEqual(0.85);
    expect((report.ndcg.app[25] ?? 0) - (report.ndcg.keywordBaseline[25] ?? 1)).toBeGreaterThanOrEqual(0.15);
    // Learning from votes, not only the urgency rule: better than keyword boosts given the same rule.
    expect(report.ndcg.app[25]).toBeGreaterThan(report.ndcg.keywordWithUrgency[25] ?? 1);
    expect(report.ndcg.app[25]).toBeGreaterThan(report.ndcg.app[0] ?? 1);
  });

  it('honours every mute and rebuilds identical scores from the log', () => {
    expect(report.mutes).toBeGreaterThan(0);
    expect(report.mutedShown).toBe(0);
    expect(report.replay.compared).toBeGreaterThan(0);
    expect(report.replay.identical).toBe(report.replay.compared);
  });
});
