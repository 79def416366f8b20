import { PreferenceModel } from '../../preferences/model.ts';
import { baseCandidates, rankCandidates } from '../../ranking/personal.ts';
import type { WorkflowDeps } from '../configuration.ts';
import type { BriefStateType, BriefStateUpdate, RankedItem } from '../state.ts';

/** The baseline prior, moved by what the feedback log has taught, with mutes applied as hard rules. */
export function rankNode(deps: WorkflowDeps) {
  return (state: BriefStateType): BriefStateUpdate => {
    const now = deps.clock.now();
    deps.onProgress({ type: 'phase', phase: 'rank', at: now.toISOString() });
    const context = { now, timezone: deps.settings.settings.location.timezone };
    const candidates = baseCandidates(state.items, new Set(state.staleIds), context);
    const model = PreferenceModel.replay(deps.store.feedback.events(), deps.settings.settings.interests);
    const { ranked, muted } = rankCandidates(candidates, model, context);
    if (muted.length) deps.log.info({ muted: muted.length }, 'muted items left out');
    return {
      ranked: ranked.map(({ item, score, stale, reasons, vote }): RankedItem => {
        const entry: RankedItem = { item, score, stale };
        if (reasons.length) entry.reasons = reasons;
        if (vote) entry.vote = vote;
        return entry;
      }),
      candidates: candidates.map((c) => ({ itemId: c.item.id, base: c.base, stale: c.stale })),
    };
  };
}
