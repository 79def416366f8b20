import type { WorkflowDeps } from '../configuration.ts';
import type { BriefStateType, BriefStateUpdate } from '../state.ts';

/**
 * After the join: store what each healthy source returned (stale items are already in the store),
 * then hand the whole set, fresh and stale, to ranking.
 */
export function ingestNode(deps: WorkflowDeps) {
  return (state: BriefStateType): BriefStateUpdate => {
    deps.onProgress({ type: 'phase', phase: 'ingest', at: deps.clock.now().toISOString() });
    const now = deps.clock.now().toISOString();
    const items = [];
    const staleIds: string[] = [];
    for (const outcome of Object.values(state.outcomes)) {
      if (outcome.status.status === 'ok') {
        deps.store.upsertItems(deps.runId, outcome.items, now);
      } else {
        staleIds.push(...outcome.items.map((i) => i.id));
      }
      items.push(...outcome.items);
    }
    // Two sources can return one item id (the same story twice in a feed); keep the first.
    const unique = [...new Map(items.map((i) => [i.id, i])).values()];
    return { items: unique, staleIds };
  };
}
