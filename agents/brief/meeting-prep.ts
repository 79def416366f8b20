import { localDate } from '../../core/time.ts';
import type { Brief, BriefItem, Item, RelatedItem } from '../../core/types.ts';
import { tokenize } from '../preferences/features.ts';
import { senderName } from './sentences.ts';

/**
 * Meetings prepared: for each of today's timed meetings still to come, what to read first. Emails from
 * or to its attendees, emails that name it, and items from memory (hybrid search) that mention its
 * title or its people, at most three, each with why it is related.
 */

export const RELATED_MAX = 3;
const WEEK_MS = 7 * 86_400_000;
/** Words in meeting titles that say nothing about the subject. */
const GENERIC = new Set(
  tokenize('meeting sync call review weekly daily check catch 1:1 one on chat standup stand-up update session'),
);

export interface MemoryLookup {
  /** Hybrid (semantic + keyword) search over what the app remembers. */
  search(query: string): Promise<{ itemId: string; kind: RelatedItem['kind']; title: string; document: string }[]>;
}

export interface PrepInput {
  /** Emails to look through: today's and the store's recent ones. */
  emails: Item[];
  memory?: MemoryLookup;
  now: Date;
  timezone: string;
}

interface Person {
  email?: string;
  name?: string;
}

interface Scored extends RelatedItem {
  score: number;
  at: string;
}

/** The brief with `related` on each of today's timed meetings that has any. */
export async function prepareMeetings(brief: Brief, input: PrepInput): Promise<Brief> {
  const related = new Map<string, RelatedItem[]>();
  for (const event of brief.sections.flatMap((s) => s.items)) {
    if (!isPreparable(event, input.now, input.timezone)) continue;
    const found = await relatedTo(event, input);
    if (found.length) related.set(event.id, found);
  }
  if (!related.size) return brief;
  return {
    ...brief,
    sections: brief.sections.map((s) => ({
      ...s,
      items: s.items.map((i) => (related.has(i.id) ? { ...i, related: related.get(i.id) } : i)),
    })),
  };
}

export function isPreparable(event: BriefItem, now: Date, timezone: string): boolean {
  if (event.kind !== 'event' || !event.start || event.meta?.allDay === true) return false;
  if (Date.parse(event.end ?? event.start) <= now.getTime()) return false;
  return localDate(event.start, timezone) === localDate(now, timezone);
}

export async function relatedTo(event: BriefItem, input: PrepInput): Promise<RelatedItem[]> {
  const people = attendees(event);
  const subject = tokenize(event.title).filter((t) => !GENERIC.has(t));
  const found = new Map<string, Scored>();
  const add = (entry: Scored): void => {
    const before = found.get(entry.id);
    if (!before || entry.score > before.score) found.set(entry.id, entry);
  };
  for (const mail of input.emails) {
    if (mail.kind !== 'email') continue;
    const from = addressOf(mail.meta?.from) ?? addressOf(mail.author);
    const to = recipients(mail);
    const name = senderName(mail.author)?.toLowerCase();
    // By address, or by name when a service sent it on an attendee's behalf ("Dana Reyes <comments@docs…>").
    const person = people.find(
      (p) => (p.email && (p.email === from || to.includes(p.email))) || (!!name && p.name?.toLowerCase() === name),
    );
    const named = subject.length > 0 && subject.every((t) => tokenize(`${mail.title} ${mail.snippet}`).includes(t));
    if (!person && !named) continue;
    const recent = Date.parse(mail.publishedAt ?? '') > input.now.getTime() - WEEK_MS ? ' this week' : '';
    const who = person ? (person.name ?? senderName(mail.author) ?? person.email ?? 'an attendee') : '';
    const why = person
      ? `${person.email && to.includes(person.email) ? 'email to' : 'email from'} ${who}${recent}${named ? `, about “${event.title}”` : ''}`
      : `email about “${event.title}”`;
    add({
      id: mail.id,
      kind: 'email',
      title: mail.title,
      why,
      score: (person ? 2 : 0) + (named ? 1.5 : 0),
      at: mail.publishedAt ?? '',
    });
  }
  if (input.memory) {
    const query = [event.title, ...people.map((p) => p.name ?? p.email ?? '')].join(' ').trim();
    for (const hit of await input.memory.search(query)) {
      if (hit.itemId === event.id || found.has(hit.itemId) || hit.kind === 'feedback') continue;
      const text = `${hit.title} ${hit.document}`;
      const words = tokenize(text);
      const name = people.find((p) => p.name && text.toLowerCase().includes(p.name.toLowerCase()))?.name;
      const named = subject.length > 0 && subject.every((t) => words.includes(t));
      // Memory is fuzzy: only what visibly mentions the meeting or its people is worth the reader's time.
      if (!name && !named) continue;
      const why = named ? `mentions “${event.title}”` : `mentions ${name ?? 'an attendee'}`;
      add({ id: hit.itemId, kind: hit.kind, title: hit.title, why, score: named ? 1.2 : 1, at: '' });
    }
  }
  return [...found.values()]
    .sort((a, b) => b.score - a.score || b.at.localeCompare(a.at) || a.id.localeCompare(b.id))
    .slice(0, RELATED_MAX)
    .map(({ id, kind, title, why }) => ({ id, kind, title, why }));
}

/** The other people in the meeting: its attendees (not the user) and its organizer. */
function attendees(event: BriefItem): Person[] {
  const out: Person[] = [];
  const list = Array.isArray(event.meta?.attendees) ? (event.meta.attendees as unknown[]) : [];
  for (const entry of list) {
    if (typeof entry !== 'object' || entry === null) continue;
    const a = entry as { email?: unknown; name?: unknown; self?: unknown };
    if (a.self === true) continue;
    const email = addressOf(a.email);
    const name = typeof a.name === 'string' && a.name ? a.name : undefined;
    if (email || name) out.push({ ...(email ? { email } : {}), ...(name ? { name } : {}) });
  }
  const organizer = addressOf(event.meta?.organizer) ?? addressOf(event.author);
  if (organizer && !out.some((p) => p.email === organizer)) {
    const name = senderName(event.author);
    out.push({ email: organizer, ...(name && !name.includes('@') ? { name } : {}) });
  }
  return out;
}

function recipients(mail: Item): string[] {
  const raw = mail.meta?.to;
  const list = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(',') : [];
  return list.flatMap((r) => addressOf(r) ?? []);
}

function addressOf(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const address = /<([^>]+@[^>]+)>/.exec(value)?.[1] ?? (/^\s*[^\s@<>]+@[^\s@<>]+\s*$/.test(value) ? value : undefined);
  return address?.trim().toLowerCase();
}
