import { PreferenceModel } from '../../preferences/model.ts';
import { votedItemIds } from '../../preferences/similarity.ts';
import { asRankedItems, baseCandidates, rankCandidates } from '../../ranking/personal.ts';
import type { WorkflowDeps } from '../configuration.ts';
import type { BriefStateType, BriefStateUpdate } from '../state.ts';

/** The baseline prior, moved by what the feedback log has taught, with mutes applied as hard rules. */
export function rankNode(deps: WorkflowDeps) {
  return async (state: BriefStateType): Promise<BriefStateUpdate> => {
    const now = deps.clock.now();
    deps.onProgress({ type: 'phase', phase: 'rank', at: now.toISOString() });
    const context = { now, timezone: deps.settings.settings.location.timezone };
    const candidates = baseCandidates(state.items, new Set(state.staleIds), context);
    const events = deps.store.feedback.events();
    const model = PreferenceModel.replay(events, deps.settings.settings.interests);
    // Similarity by meaning where memory has the vectors (terms otherwise): the candidates' and the voted items'.
    // Stories need them too, to be told apart from retellings of one another.
    const vectors = await deps.memory?.vectorsFor([...candidates.map((c) => c.item.id), ...votedItemIds(events)]);
    const lookup = vectors && events.length ? (id: string) => vectors.get(id) : undefined;
    const { ranked, muted } = rankCandidates(candidates, model, context, lookup);
    if (muted.length) deps.log.info({ muted: muted.length }, 'muted items left out');
    return {
      ranked: asRankedItems(ranked),
      candidates: candidates.map((c) => ({ itemId: c.item.id, base: c.base, stale: c.stale })),
      rankVectors: vectors?.size ? [...vectors] : [],
    };
  };
}
