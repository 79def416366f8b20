import { describe, expect, it } from 'vitest';
import { DEFAULT_EVAL, evaluateRanking } from './lib/evaluate.ts';

describe('the ranking evaluation (the same run as `npm run eval:ranking`)', () => {
  // Deterministic: the same corpus, users and votes every time, so these are the figures it prints.
  const report = evaluateRanking(DEFAULT_EVAL);
  const at = (votes: number) => report.ndcg.app[votes] ?? 0;

  it('reaches NDCG@5 ≥ 0.90 after 25 votes, at least 0.15 above the keyword-boost baseline', () => {
    expect(at(25)).toBeGreaterThanOrEqual(0.9);
    expect(at(25) - (report.ndcg.keywordBaseline[25] ?? 1)).toBeGreaterThanOrEqual(0.15);
    // Learning from votes, not only the urgency rule: better than keyword boosts given the same rule.
    expect(at(25)).toBeGreaterThan(report.ndcg.keywordWithUrgency[25] ?? 1);
    expect(at(25)).toBeGreaterThan(at(0));
  });

  it('keeps learning: better after 50 votes than after 25', () => {
    expect(at(50)).toBeGreaterThan(at(25));
  });

  it('explores on the voting days, and the simulated users vote on some of what it shows', () => {
    expect(report.exploration.explored).toBeGreaterThan(0);
    expect(report.exploration.voted).toBeGreaterThan(0);
  });

  it('honours every mute, and rebuilds identical scores and rankings (explored story included) from the log', () => {
    expect(report.mutes).toBeGreaterThan(0);
    expect(report.mutedShown).toBe(0);
    expect(report.replay.compared).toBeGreaterThan(0);
    expect(report.replay.identical).toBe(report.replay.compared);
    expect(report.replay.rankings.compared).toBeGreaterThan(0);
    expect(report.replay.rankings.identical).toBe(report.replay.rankings.compared);
  });
});
