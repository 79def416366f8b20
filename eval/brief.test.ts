import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_BRIEF_EVAL, evaluateBrief, type BriefEvalReport } from './lib/brief-evaluate.ts';

describe('the brief evaluation (the same run as `npm run eval:brief`)', () => {
  // Deterministic: the same corpus every time, so these are the figures it prints.
  let report: BriefEvalReport;
  beforeAll(async () => {
    report = await evaluateBrief(DEFAULT_BRIEF_EVAL);
  });

  it('tells one story from many sources apart from other stories, without an embedding model', () => {
    expect(report.clusters.expected).toBeGreaterThan(100);
    expect(report.clusters.precision).toBeGreaterThanOrEqual(0.95);
    expect(report.clusters.recall).toBeGreaterThanOrEqual(0.85);
  });

  it('never shows an unchanged repeat in a lead position, and marks changed stories updated', () => {
    expect(report.repeats.unchangedShown).toBeGreaterThan(10);
    expect(report.repeats.unchangedInLead).toBe(0);
    expect(report.repeats.updated).toBeGreaterThan(0);
    expect(report.repeats.flagged).toBe(report.repeats.updated);
  });

  it('prepares meetings, finds deadlines and flags unsupported lines to the targets', () => {
    expect(report.meetingPrep.recallAt3).toBeGreaterThanOrEqual(0.8);
    expect(report.deadlines.precision).toBeGreaterThanOrEqual(0.9);
    expect(report.deadlines.recall).toBeGreaterThanOrEqual(0.8);
    expect(report.grounding.expected).toBeGreaterThan(50);
    expect(report.grounding.precision).toBeGreaterThanOrEqual(0.9);
    expect(report.grounding.recall).toBeGreaterThanOrEqual(0.8);
  });
});
