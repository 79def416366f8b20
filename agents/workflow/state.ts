import { Annotation } from '@langchain/langgraph';
import type { Brief, Item, SourceStatus } from '../../core/types.ts';

/** What one source node hands to the join. */
export interface SourceOutcome {
  status: SourceStatus;
  items: Item[];
  /** When these items were fetched; older than the run for stale data. */
  fetchedAt: string;
}

export interface RankedItem {
  item: Item;
  score: number;
  stale: boolean;
}

export const BriefState = Annotation.Root({
  /** One entry per source; parallel fetch nodes each add their own key, so the reducer merges. */
  outcomes: Annotation<Record<string, SourceOutcome>>({
    reducer: (left, right) => ({ ...left, ...right }),
    default: () => ({}),
  }),
  fetchMs: Annotation<number>(),
  items: Annotation<Item[]>(),
  staleIds: Annotation<string[]>(),
  ranked: Annotation<RankedItem[]>(),
  brief: Annotation<Brief | undefined>(),
});

export type BriefStateType = typeof BriefState.State;
export type BriefStateUpdate = typeof BriefState.Update;
