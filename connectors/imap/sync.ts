import { z } from 'zod';
import { describeError } from '../../core/errors.ts';
import type { Item } from '../../core/types.ts';
import type { ConnectorContext } from '../types.ts';
import { isWanted, toImapItem, withFlags, type FetchedMessage } from './message.ts';
import type { ImapSession } from './session.ts';

/**
 * Sync state per account, in the connector cache: the mailbox's UIDVALIDITY, UIDNEXT, message count and
 * HIGHESTMODSEQ (CONDSTORE) as last seen, and the items they stand for.
 */
const stateSchema = z.object({
  uidValidity: z.string(),
  uidNext: z.int(),
  exists: z.int(),
  highestModseq: z.string().optional(),
  messages: z.array(z.custom<Item & { meta: { uid: number } }>((v) => typeof v === 'object' && v !== null)),
});
export type MailboxState = z.infer<typeof stateSchema>;

export function readState(value: unknown): MailboxState | undefined {
  const parsed = stateSchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

export interface SyncOutcome {
  state: MailboxState;
  warnings: string[];
}

interface SyncTarget {
  session: ImapSession;
  account: { key: string; address: string };
  path: string;
  context: ConnectorContext;
  /** Bytes of one message's source to fetch at most. */
  maxSourceBytes: number;
}

/**
 * One refresh of one mailbox. With the same UIDVALIDITY, UIDNEXT, message count and HIGHESTMODSEQ as last time
 * nothing has changed and no command beyond EXAMINE is sent. Otherwise one SEARCH lists the UIDs of the look-back
 * window, one FETCH of flags covers what changed (CHANGEDSINCE where the server has CONDSTORE, else everything in
 * the window), and one FETCH of sources covers the wanted messages not held yet. A new UIDVALIDITY starts over.
 */
export async function syncMailbox(target: SyncTarget, previous: MailboxState | undefined): Promise<SyncOutcome> {
  const { session, context } = target;
  const box = session.mailbox;
  const prev = previous?.uidValidity === box.uidValidity ? previous : undefined;
  const next = (messages: MailboxState['messages']): MailboxState => ({
    uidValidity: box.uidValidity,
    uidNext: box.uidNext,
    exists: box.exists,
    ...(box.highestModseq ? { highestModseq: box.highestModseq } : {}),
    messages,
  });
  if (prev && unchanged(prev, box)) return { state: next(prune(prev.messages, context)), warnings: [] };

  const { client } = session;
  const { lookbackDays, maxMessages } = context.settings.sources.imap;
  const since = new Date(context.clock.now().getTime() - lookbackDays * 86_400_000);
  const found = await client.search({ since }, { uid: true });
  const present = new Set(found || []);
  const held = new Map((prev?.messages ?? []).filter((m) => present.has(m.meta.uid)).map((m) => [m.meta.uid, m]));

  const changedSince = prev?.highestModseq && box.highestModseq ? BigInt(prev.highestModseq) : undefined;
  const wanted: number[] = [];
  if (present.size) {
    const query = { uid: true, flags: true } as const;
    for await (const message of client.fetch([...present], query, {
      uid: true,
      ...(changedSince ? { changedSince } : {}),
    })) {
      const flags = message.flags ?? new Set<string>();
      const old = held.get(message.uid);
      if (!isWanted(flags)) held.delete(message.uid);
      else if (old) held.set(message.uid, withFlags(old, flags) as MailboxState['messages'][number]);
      else wanted.push(message.uid);
    }
  }
  // Newest first: when more are wanted than kept, the oldest are the ones never fetched.
  const fetchUids = wanted.sort((a, b) => b - a).slice(0, maxMessages);
  const warnings: string[] = [];
  if (fetchUids.length) {
    const query = { uid: true, flags: true, internalDate: true, source: { maxLength: target.maxSourceBytes } };
    let failed = 0;
    let firstFailure: unknown;
    for await (const message of client.fetch(fetchUids, query, { uid: true })) {
      const fetched: FetchedMessage = { uid: message.uid, flags: message.flags ?? new Set<string>() };
      if (message.internalDate) fetched.internalDate = message.internalDate;
      if (message.source) fetched.source = message.source;
      try {
        const item = await toImapItem(target.account, { path: target.path, uidValidity: box.uidValidity }, fetched);
        held.set(message.uid, item as MailboxState['messages'][number]);
      } catch (error) {
        failed++;
        firstFailure ??= error;
      }
    }
    if (failed) {
      warnings.push(
        `${String(failed)} of ${String(fetchUids.length)} messages could not be read (${describeError(firstFailure)})`,
      );
    }
  }
  return { state: next(prune([...held.values()], context)), warnings };
}

function unchanged(prev: MailboxState, box: ImapSession['mailbox']): boolean {
  // Without CONDSTORE a flag change shows in none of these, so every refresh asks for the flags.
  if (!box.highestModseq || box.highestModseq !== prev.highestModseq) return false;
  return box.uidNext === prev.uidNext && box.exists === prev.exists;
}

/** Newest first, within the look-back window, at most `maxMessages`. */
function prune<T extends Item>(items: T[], context: ConnectorContext): T[] {
  const { lookbackDays, maxMessages } = context.settings.sources.imap;
  const cutoff = context.clock.now().getTime() - lookbackDays * 86_400_000;
  return items
    .filter((item) => !item.publishedAt || Date.parse(item.publishedAt) >= cutoff)
    .sort((a, b) => (b.publishedAt ?? '').localeCompare(a.publishedAt ?? ''))
    .slice(0, maxMessages);
}
