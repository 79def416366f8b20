import type { Item, ItemKind } from './types.ts';

/**
 * The shapes of the feedback log and of ranking candidates. They live in the kernel because the store keeps
 * them; the preference model (agents/preferences) and ranking (agents/ranking) give them their meaning.
 */

/** What the user did. `undo` reverses that item's latest action; `reset` forgets everything before it. */
export type FeedbackAction = 'up' | 'down' | 'mute' | 'unmute' | 'undo' | 'reset';
export const ITEM_ACTIONS = ['up', 'down', 'mute', 'unmute', 'undo'] as const;
export type ItemAction = (typeof ITEM_ACTIONS)[number];
/** `event`: one calendar event hidden; `series`: every event of its recurring series ("events like this"). */
export const MUTE_SCOPES = ['sender', 'domain', 'feed', 'topic', 'event', 'series'] as const;
export type MuteScope = (typeof MUTE_SCOPES)[number];

/**
 * What the preference model knows about an item. It is also the snapshot kept in each feedback event,
 * so a replay years later reads the same features even if the item itself is long gone.
 */
export interface ItemSnapshot {
  kind: ItemKind;
  source: string;
  /** Feed title, calendar or "Hacker News". */
  feed?: string;
  /** Email sender address, or the author. */
  sender?: string;
  /** The sender's domain for email, the link's host otherwise. */
  domain?: string;
  category?: string;
  /** Calendar events: the item's id, and its recurring series when it has one. */
  eventId?: string;
  series?: string;
  title: string;
  /** Stemmed terms of the title and the start of the text, title first, without stop words. */
  terms: string[];
  tags: string[];
}

/** One row of the append-only log. Nothing in it is ever changed; the model is a fold over these. */
export interface FeedbackEvent {
  seq: number;
  at: string;
  itemId: string;
  action: FeedbackAction;
  snapshot: ItemSnapshot;
  /** For mute and unmute. */
  scope?: MuteScope;
  value?: string;
}

export interface Mute {
  scope: MuteScope;
  value: string;
}

/** An item as ranking sees it, kept with each brief so a vote can re-rank it without a fetch. */
export interface Candidate {
  item: Item;
  stale: boolean;
  base: number;
  /** The item's features, when the caller already has them (a brief re-ranked vote after vote). */
  snapshot?: ItemSnapshot;
}
