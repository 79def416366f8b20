import { createHash } from 'node:crypto';
import { localDate, localTime } from '../../core/time.ts';
import type { ActionItem, Brief, Item } from '../../core/types.ts';
import type { FeedbackEvent } from '../preferences/events.ts';
import type { MemoryMetadata, MemoryRecord } from './types.ts';

/** What gets remembered of each thing, as text to embed plus filterable metadata. */
export interface MemoryDocument {
  id: string;
  document: string;
  metadata: MemoryMetadata;
}

const DOCUMENT_CHARS = 4000;

function bound(text: string): string {
  return text.length > DOCUMENT_CHARS ? text.slice(0, DOCUMENT_CHARS) : text;
}

function dateOf(item: Item, fallback: number): number {
  const at = Date.parse(item.start ?? item.publishedAt ?? '');
  return Number.isNaN(at) ? fallback : at;
}

/** Items worth remembering: mail, events and news (weather is only about today). */
export function itemDocument(item: Item, timezone: string, now: number): MemoryDocument | undefined {
  if (item.kind === 'weather') return undefined;
  const metadata: MemoryMetadata = { kind: item.kind, source: item.source, date: dateOf(item, now), itemId: item.id };
  if (item.category) metadata.category = item.category;
  let text: string;
  if (item.kind === 'email') {
    const from = typeof item.meta?.from === 'string' ? item.meta.from : undefined;
    if (from ?? item.author) metadata.sender = (from ?? item.author ?? '').toLowerCase();
    text = [`From: ${item.author ?? ''}${from ? ` <${from}>` : ''}`, `Subject: ${item.title}`, item.snippet, item.body]
      .filter(Boolean)
      .join('\n');
  } else if (item.kind === 'event') {
    const when = item.start ? `${localDate(item.start, timezone)} ${localTime(item.start, timezone)}` : '';
    const where = typeof item.meta?.location === 'string' ? item.meta.location : '';
    text = [`Event: ${item.title}`, when, where, item.snippet, item.body].filter(Boolean).join('\n');
  } else {
    if (item.origin) metadata.feed = item.origin;
    text = [item.title, item.origin, item.snippet, item.body?.slice(0, 2000)].filter(Boolean).join('\n');
  }
  return { id: item.id, document: bound(text), metadata };
}

/** A brief's TLDR and summary, and its action items, so "what did I have to do last week" can be answered. */
export function briefDocuments(brief: Brief): MemoryDocument[] {
  const date = Date.parse(brief.generatedAt);
  const docs: MemoryDocument[] = [
    {
      id: `brief:${brief.date}`,
      document: bound(
        [`Brief for ${brief.date}`, ...brief.tldr.map((b) => `- ${b.text}`), brief.summary ?? ''].join('\n'),
      ),
      metadata: { kind: 'brief', source: 'brief', date, itemId: brief.id },
    },
  ];
  for (const action of brief.actionItems ?? []) docs.push(actionDocument(brief, action, date));
  return docs;
}

function actionDocument(brief: Brief, action: ActionItem, date: number): MemoryDocument {
  const key = createHash('sha1').update(action.text).digest('hex').slice(0, 12);
  return {
    id: `action:${brief.date}:${key}`,
    document: `Action (${brief.date})${action.due ? `, due ${action.due}` : ''}: ${action.text}`,
    metadata: { kind: 'action', source: 'brief', date, itemId: action.itemIds[0] ?? brief.id },
  };
}

const FEEDBACK_WORDS: Record<FeedbackEvent['action'], string> = {
  up: 'gave 👍 (liked)',
  down: 'gave 👎 (disliked)',
  mute: 'muted',
  unmute: 'unmuted',
  undo: 'took back the last action on',
  reset: 'reset all preferences',
};

/** One record per feedback event, so "what did I mute?" or "which posts did I like?" can be answered. */
export function feedbackDocument(event: FeedbackEvent, timezone: string): MemoryDocument {
  const item = event.snapshot;
  const from = item.sender ?? item.feed ?? item.source;
  const date = Date.parse(event.at);
  const what =
    event.action === 'reset'
      ? ''
      : event.action === 'mute' || event.action === 'unmute'
        ? ` ${event.scope ?? ''} ${event.value ?? ''} (from ${item.kind} “${item.title}”)`
        : ` ${item.kind} “${item.title}” from ${from}`;
  return {
    id: `feedback:${String(event.seq)}`,
    document: bound(`Feedback on ${localDate(event.at, timezone)}: you ${FEEDBACK_WORDS[event.action]}${what}`),
    metadata: { kind: 'feedback', source: item.source, date, itemId: event.itemId },
  };
}

export function documentHash(doc: MemoryDocument, model: string): string {
  return createHash('sha256').update(`${model}\n${doc.document}`).digest('hex').slice(0, 32);
}

export function toRecord(doc: MemoryDocument, vector: number[]): MemoryRecord {
  return { id: doc.id, vector, document: doc.document, metadata: doc.metadata };
}
