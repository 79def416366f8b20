import { sanitizeItem } from '../../../core/sanitize.ts';
import type { Item } from '../../../core/types.ts';
import type { WorkflowDeps } from '../configuration.ts';
import type { BriefStateType, BriefStateUpdate } from '../state.ts';

/**
 * After the join: clean every item (connectors are trusted to normalize, not to be perfect), store
 * the fresh ones (so the reasoner's tools can read them), note which are new or changed, and hand the
 * whole set, fresh and stale, to ranking. They only become the sources' "last good" items when the
 * brief is committed (persist).
 */
export function ingestNode(deps: WorkflowDeps) {
  return async (state: BriefStateType): Promise<BriefStateUpdate> => {
    deps.onProgress({ type: 'phase', phase: 'ingest', at: deps.clock.now().toISOString() });
    const fresh: Item[] = [];
    const stale: Item[] = [];
    for (const outcome of Object.values(state.outcomes)) {
      const target = outcome.status.status === 'ok' ? fresh : stale;
      target.push(...outcome.items.map(sanitizeItem));
    }
    // Two sources can return one item id (the same story twice in a feed); keep the first, and a
    // fresh copy always wins over a stale one.
    const freshItems = [...new Map(fresh.map((i) => [i.id, i])).values()];
    const freshIds = new Set(freshItems.map((i) => i.id));
    const staleItems = [...new Map(stale.filter((i) => !freshIds.has(i.id)).map((i) => [i.id, i])).values()];
    const { changedIds } = deps.store.upsertItems(deps.runId, freshItems, deps.clock.now().toISOString());
    if (deps.memory) {
      // The memory dedupes by content hash itself, and embeds whatever an earlier run still owes.
      const report = await deps.memory.ingest(freshItems, deps.signal);
      deps.log.info({ ...report, backend: deps.memory.backend }, 'memory updated');
    }
    return {
      items: [...freshItems, ...staleItems],
      freshItems,
      changedIds,
      staleIds: staleItems.map((i) => i.id),
    };
  };
}
