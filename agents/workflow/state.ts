import { Annotation } from '@langchain/langgraph';
import type { Brief, Item, SourceStatus } from '../../core/types.ts';
import type { RepeatMark } from '../brief/repeats.ts';

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
  reasons?: string[];
  vote?: 'up' | 'down';
  /** Lifted into view to learn what the user thinks of it; its reasons say so. */
  explored?: true;
  /** Shown in an earlier brief: unchanged since (folded) or updated. */
  repeat?: RepeatMark;
}

/** Everything the brief was ranked from, muted items included, with the baseline score. */
export interface RankCandidate {
  itemId: string;
  base: number;
  stale: boolean;
}

export const BriefState = Annotation.Root({
  /** One entry per source; parallel fetch nodes each add their own key, so the reducer merges. */
  outcomes: Annotation<Record<string, SourceOutcome>>({
    reducer: (left, right) => ({ ...left, ...right }),
    default: () => ({}),
  }),
  fetchMs: Annotation<number>(),
  /** Everything the brief may use: fresh items and the stale ones of failed sources. */
  items: Annotation<Item[]>(),
  /** Items fetched in this run; stored with the brief. */
  freshItems: Annotation<Item[]>(),
  /** Fresh items that are new or whose content changed since last stored. */
  changedIds: Annotation<string[]>(),
  staleIds: Annotation<string[]>(),
  ranked: Annotation<RankedItem[]>(),
  candidates: Annotation<RankCandidate[]>(),
  /** Item vectors the ranking used (from memory), kept with the brief for re-ranking on a vote. */
  rankVectors: Annotation<[string, number[]][]>(),
  brief: Annotation<Brief | undefined>(),
});

export type BriefStateType = typeof BriefState.State;
export type BriefStateUpdate = typeof BriefState.Update;
