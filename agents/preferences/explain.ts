import { featuresOf, type FeatureGroup, type ItemSnapshot } from './features.ts';
import type { Counts, PreferenceModel } from './model.ts';

/** Below this the model has no real opinion yet, so it is not worth saying. */
const SAY_FROM = 0.1;

/**
 * Too broad to tell a person anything, and named by the app, not by them: "items from rss", "news items". The
 * reasons given for an item leave them out too (ranking/personal.ts); the feed or sender says it in words.
 */
const VAGUE = new Set<FeatureGroup>(['source', 'kind']);

/** The lines that can say all that a broader one would: a site's votes may be those of one feed or a few senders. */
const NARROWER: Partial<Record<FeatureGroup, FeatureGroup[]>> = {
  domain: ['feed', 'sender'],
  category: ['feed', 'sender', 'domain'],
};

/** The sections feeds are filed under, as the brief heads them. */
const SECTIONS: Record<string, string> = { tech: 'Tech', market: 'Markets', news: 'News' };

type Learned = ReturnType<PreferenceModel['learned']>[number];

/**
 * What the model has learned, in words, each thing once: "You like posts from Rust Blog (3 votes)". A line that only
 * adds up lines already said (the Tech section of two feeds that are listed, the domain of the one sender voted on)
 * is left out, and so is a section for stories that have a feed, which the model itself does not count.
 */
export function describeLearned(model: PreferenceModel, now: number): { label: string; weight: number }[] {
  // Which voted items each feature came from.
  const itemsWith = new Map<string, Set<string>>();
  const snapshots = new Map<string, ItemSnapshot>();
  for (const { itemId, snapshot } of model.votedItems()) {
    snapshots.set(itemId, snapshot);
    for (const { key } of featuresOf(snapshot)) {
      const items = itemsWith.get(key) ?? new Set<string>();
      items.add(itemId);
      itemsWith.set(key, items);
    }
  }
  const itemsOf = (key: string): Set<string> => itemsWith.get(key) ?? new Set<string>();
  const said = model.learned(now).filter(
    (f) =>
      Math.abs(f.evidence) >= SAY_FROM &&
      !VAGUE.has(f.group) &&
      // A word is worth saying once it has been voted on twice and we know how it is spelt.
      (f.group !== 'term' || (f.ups + f.downs >= 2 && model.knowsWord(f.key.slice('term:'.length)))) &&
      // A story's section counts only where it has no feed (see PreferenceModel.redundant).
      (f.group !== 'category' || [...itemsOf(f.key)].some((id) => !snapshots.get(id)?.feed)),
  );
  /** Whether the narrower lines said, whose items are all among this line's, account for every one of them. */
  const addsUp = (f: Learned): boolean => {
    const narrower = NARROWER[f.group];
    const own = itemsOf(f.key);
    if (!narrower || own.size === 0) return false;
    const covered = new Set<string>();
    for (const other of said) {
      if (!narrower.includes(other.group)) continue;
      const items = [...itemsOf(other.key)];
      if (items.length && items.every((id) => own.has(id))) for (const id of items) covered.add(id);
    }
    return covered.size === own.size;
  };
  return said
    .filter((f) => !addsUp(f))
    .map((f) => {
      const liked = f.evidence > 0;
      const verb = liked ? 'You like' : 'You skip';
      const kinds = new Set([...itemsOf(f.key)].map((id) => snapshots.get(id)?.kind));
      return {
        label: `${verb} ${what(f, model, kinds)} ${votes(f, liked)}`,
        weight: Math.round(f.evidence * 100) / 100,
      };
    });
}

function what(f: Learned, model: PreferenceModel, kinds: Set<string | undefined>): string {
  const value = f.key.slice(f.key.indexOf(':') + 1);
  switch (f.group) {
    case 'feed':
      return `posts from ${value.slice(value.indexOf('/') + 1)}`;
    case 'sender':
      // An event's sender is its organiser.
      if (!kinds.has('email')) return `meetings from ${value}`;
      return kinds.has('event') ? `email and meetings from ${value}` : `email from ${value}`;
    case 'domain':
      return `items from ${value}`;
    case 'category': {
      const section = SECTIONS[value];
      if (section) return `stories in ${section}`;
      // Gmail's tabs: CATEGORY_PROMOTIONS is the Promotions tab.
      const tab = /^CATEGORY_(\w+)$/.exec(value)?.[1];
      if (tab) return `email in ${tab.charAt(0)}${tab.slice(1).toLowerCase()}`;
      return `items filed under “${value}”`;
    }
    default:
      return `items about “${model.word(value)}”`;
  }
}

/** "(3 votes)" when all went the way the line says; both counts when they did not. */
function votes(f: Learned, liked: boolean): string {
  const against = liked ? f.downs : f.ups;
  if (against === 0) {
    const n = f.ups + f.downs;
    return `(${String(n)} ${n === 1 ? 'vote' : 'votes'})`;
  }
  return `(${String(f.ups)} more, ${String(f.downs)} less)`;
}

/** A learned feature as a reason for one item: "you liked 3 posts from Rust Blog". */
export function featureReason(key: string, counts: Counts): string {
  const value = key.slice(key.indexOf(':') + 1);
  const group = key.slice(0, key.indexOf(':'));
  const liked = counts.up >= counts.down;
  const n = liked ? counts.ups : counts.downs;
  const verb = liked ? 'liked' : 'disliked';
  const things = (noun: string): string => `${String(n)} ${noun}${n === 1 ? '' : 's'}`;
  switch (group) {
    case 'feed':
      return `you ${verb} ${things('post')} from ${value.slice(value.indexOf('/') + 1)}`;
    case 'sender':
      return `you ${verb} ${things('message')} from ${value}`;
    case 'domain':
    case 'source':
      return `you ${verb} ${things('item')} from ${value}`;
    case 'category':
      return `you ${verb} ${things('item')} about ${value}`;
    default:
      return `you ${verb} ${things(`${value} item`)}`;
  }
}

export function termReason(word: string, total: number): string {
  return total >= 0 ? `about “${word}”, which you tend to like` : `about “${word}”, which you tend to skip`;
}
