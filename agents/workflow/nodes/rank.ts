import { scoreItem } from '../../ranking/baseline.ts';
import type { WorkflowDeps } from '../configuration.ts';
import type { BriefStateType, BriefStateUpdate, RankedItem } from '../state.ts';

export function rankNode(deps: WorkflowDeps) {
  return (state: BriefStateType): BriefStateUpdate => {
    const now = deps.clock.now();
    deps.onProgress({ type: 'phase', phase: 'rank', at: now.toISOString() });
    const context = { now, timezone: deps.settings.settings.location.timezone };
    const stale = new Set(state.staleIds);
    const ranked: RankedItem[] = state.items
      .map((item) => ({ item, stale: stale.has(item.id), score: scoreItem(item, stale.has(item.id), context) }))
      .sort((a, b) => b.score - a.score);
    return { ranked };
  };
}
