import { stemmer } from 'stemmer';
import { eng } from 'stopword';
import type { Item } from '../../core/types.ts';
import type { ItemSnapshot } from '../../core/feedback.ts';

export type { ItemSnapshot } from '../../core/feedback.ts';

const STOP = new Set([...eng, 'new', 'says', 'via', 'amp', 'will', 'can', 'get', 'one', 'two', 'use', 'how', 'why']);
const MAX_TERMS = 24;
/** Body words past this point say little about what the item is about, and cost time on every vote. */
const TEXT_CHARS = 400;

export function tokenize(text: string): string[] {
  const out: string[] = [];
  for (const word of text.toLowerCase().match(/[\p{L}\p{N}][\p{L}\p{N}'+#.-]*[\p{L}\p{N}+#]|[\p{L}]{3,}/gu) ?? []) {
    const clean = word.replace(/'s$/, '');
    if (clean.length < 3 || STOP.has(clean) || /^\d+([.,]\d+)?$/.test(clean)) continue;
    out.push(stemmer(clean));
  }
  return out;
}

/** Unique terms, title words first so they survive the cap. */
export function itemTerms(title: string, text: string): string[] {
  const seen = new Set<string>();
  for (const term of [...tokenize(title), ...tokenize(text.slice(0, TEXT_CHARS))]) {
    seen.add(term);
    if (seen.size >= MAX_TERMS) break;
  }
  return [...seen];
}

export function snapshotOf(item: Item): ItemSnapshot {
  const sender = senderOf(item);
  const domain = domainOf(item, sender);
  const snapshot: ItemSnapshot = {
    kind: item.kind,
    source: item.source,
    title: item.title,
    terms: itemTerms(item.title, item.snippet),
    tags: item.tags.slice(0, 12),
  };
  // For mail and events the origin is the user's own account or calendar: it says nothing about taste.
  if (item.origin && item.kind === 'news') snapshot.feed = item.origin;
  if (sender) snapshot.sender = sender;
  if (domain) snapshot.domain = domain;
  if (item.category) snapshot.category = item.category;
  if (item.kind === 'event') {
    snapshot.eventId = item.id;
    const series = item.meta?.recurringEventId;
    if (typeof series === 'string' && series) snapshot.series = series;
  }
  return snapshot;
}

/** The address inside "Name <address>", lower-cased; otherwise the author as given. */
function senderOf(item: Item): string | undefined {
  // A story's author is a byline, not someone writing to the user; the feed says more about it.
  if (item.kind !== 'email' && item.kind !== 'event') return undefined;
  // Gmail items carry the address as meta.from, calendar events their organizer's.
  const key = item.kind === 'email' ? 'from' : 'organizer';
  const fromMeta = typeof item.meta?.[key] === 'string' && item.meta[key] ? item.meta[key] : undefined;
  const raw = fromMeta ?? item.author;
  if (!raw) return undefined;
  const address = /<([^>]+@[^>]+)>/.exec(raw)?.[1] ?? (/^[^\s@]+@[^\s@]+$/.test(raw.trim()) ? raw.trim() : undefined);
  return (address ?? raw.trim()).toLowerCase();
}

function domainOf(item: Item, sender: string | undefined): string | undefined {
  const fromMeta = typeof item.meta?.domain === 'string' && item.meta.domain ? item.meta.domain : undefined;
  if (fromMeta) return fromMeta.toLowerCase();
  if (sender?.includes('@')) return sender.split('@')[1];
  if (!item.url) return undefined;
  try {
    return new URL(item.url).hostname.replace(/^www\./, '').toLowerCase();
  } catch {
    return undefined;
  }
}

/** The features one item contributes, as "group:value" keys. */
export type FeatureGroup = 'feed' | 'sender' | 'domain' | 'source' | 'kind' | 'category' | 'term';

export function featuresOf(snapshot: ItemSnapshot): { group: FeatureGroup; key: string }[] {
  const out: { group: FeatureGroup; key: string }[] = [
    { group: 'source', key: `source:${snapshot.source}` },
    { group: 'kind', key: `kind:${snapshot.kind}` },
  ];
  if (snapshot.feed) out.push({ group: 'feed', key: `feed:${snapshot.source}/${snapshot.feed}` });
  if (snapshot.sender) out.push({ group: 'sender', key: `sender:${snapshot.sender}` });
  if (snapshot.domain) out.push({ group: 'domain', key: `domain:${snapshot.domain}` });
  if (snapshot.category) out.push({ group: 'category', key: `category:${snapshot.category}` });
  for (const term of snapshot.terms) out.push({ group: 'term', key: `term:${term}` });
  return out;
}
