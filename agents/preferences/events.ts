import { tokenize } from './features.ts';
import type { ItemSnapshot, Mute, MuteScope } from '../../core/feedback.ts';

export { ITEM_ACTIONS, MUTE_SCOPES } from '../../core/feedback.ts';
export type { FeedbackAction, FeedbackEvent, ItemAction, Mute, MuteScope } from '../../core/feedback.ts';

/** What a mute of this item means when the user names no scope: the most specific thing it comes from. */
export function defaultMuteScope(snapshot: ItemSnapshot): MuteScope {
  // "Mute" on a meeting means "hide this event", not its organiser's every mail.
  if (snapshot.kind === 'event') return 'event';
  if (snapshot.kind === 'email' && snapshot.sender) return 'sender';
  if (snapshot.feed) return 'feed';
  if (snapshot.sender) return 'sender';
  if (snapshot.domain) return 'domain';
  return 'topic';
}

/** The value a scope takes for this item, e.g. the feed's key or the sender's address. */
export function muteValue(snapshot: ItemSnapshot, scope: MuteScope, topic?: string): string | undefined {
  switch (scope) {
    case 'sender':
      return snapshot.sender;
    case 'domain':
      return snapshot.domain;
    case 'feed':
      return snapshot.feed ? `${snapshot.source}/${snapshot.feed}` : snapshot.source;
    case 'topic':
      return topic?.trim().toLowerCase() || undefined;
    case 'event':
      return snapshot.eventId;
    case 'series':
      // A one-off event is its own series: "events like this" then hides just it.
      return snapshot.series ?? snapshot.eventId;
  }
}

export function describeMute(mute: Mute): string {
  switch (mute.scope) {
    case 'sender':
      return `sender ${mute.value}`;
    case 'domain':
      return `domain ${mute.value}`;
    case 'feed':
      return `feed “${mute.value.slice(mute.value.indexOf('/') + 1)}”`;
    case 'topic':
      return `topic “${mute.value}”`;
    case 'event':
      return 'this event';
    case 'series':
      return 'events like this (the recurring series)';
  }
}

export function matchesMute(snapshot: ItemSnapshot, mute: Mute): boolean {
  switch (mute.scope) {
    case 'sender':
      return snapshot.sender === mute.value;
    case 'domain':
      return !!snapshot.domain && (snapshot.domain === mute.value || snapshot.domain.endsWith(`.${mute.value}`));
    case 'feed':
      return (snapshot.feed ? `${snapshot.source}/${snapshot.feed}` : snapshot.source) === mute.value;
    case 'topic': {
      // Lower-cased on both sides: categories come as "tech" or Gmail's "CATEGORY_PROMOTIONS".
      if (snapshot.category && snapshot.category.toLowerCase() === mute.value.toLowerCase()) return true;
      const terms = tokenize(mute.value);
      return terms.length > 0 && terms.every((t) => snapshot.terms.includes(t));
    }
    case 'event':
      return snapshot.eventId === mute.value;
    case 'series':
      return (snapshot.series ?? snapshot.eventId) === mute.value;
  }
}
