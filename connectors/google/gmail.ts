import pLimit from 'p-limit';
import type { gmail_v1 } from '@googleapis/gmail';
import type { OAuth2Client } from 'google-auth-library';
import { z } from 'zod';
import { describeError } from '../../core/errors.ts';
import type { Item } from '../../core/types.ts';
import type { Connector, ConnectorContext, ConnectorResult } from '../types.ts';
import { forEachAccount, hasGoogleAccounts, type GoogleConnectorDeps } from './account-auth.ts';
import { callOptions, gmailApi, statusOf } from './api.ts';
import { withBackoff } from './backoff.ts';
import { decodeBase64Url, mailText, toEmailItem, type MailText } from './gmail-message.ts';

/** Sync state per account, in the connector cache: Gmail's historyId and the items it stands for. */
const stateSchema = z.object({ historyId: z.string(), messages: z.array(z.custom<Item>()) });
type SyncState = z.infer<typeof stateSchema>;

const HISTORY_TYPES = ['messageAdded', 'messageDeleted', 'labelAdded', 'labelRemoved'];
/** Mail that matters in a brief: unread, important or starred. */
const WANTED_LABELS = ['UNREAD', 'IMPORTANT', 'STARRED'];
const UNWANTED_LABELS = ['TRASH', 'SPAM', 'DRAFT'];

export function gmailConnector(deps?: GoogleConnectorDeps): Connector {
  return {
    id: 'gmail',
    label: 'Gmail',
    kinds: ['email'],
    enabled: (settings) => settings.sources.gmail.enabled && hasGoogleAccounts(deps, settings),
    fetch: (context) =>
      deps
        ? forEachAccount(deps, context, 'Gmail', (account, client) => syncAccount(account.address, client, context))
        : Promise.resolve({ items: [], warnings: [] }),
  };
}

interface Sync {
  gmail: gmail_v1.Gmail;
  context: ConnectorContext;
  account: string;
  options: ReturnType<typeof callOptions>;
}

async function syncAccount(account: string, client: OAuth2Client, context: ConnectorContext): Promise<ConnectorResult> {
  const sync: Sync = {
    gmail: gmailApi(client, context.settings.google),
    context,
    account,
    options: callOptions({
      signal: context.signal,
      timeoutMs: context.requestTimeoutMs,
      maxBytes: context.settings.refresh.maxResponseBytes,
    }),
  };
  const key = `gmail:${account}`;
  const parsed = stateSchema.safeParse(context.cache.getValue(key));
  const previous = parsed.success ? parsed.data : undefined;
  const next = (previous && (await incremental(sync, previous))) ?? (await fullSync(sync));
  const kept = prune(next.state.messages, context);
  context.cache.putValue(key, { historyId: next.state.historyId, messages: kept } satisfies SyncState);
  return { items: kept, warnings: next.warnings };
}

interface SyncOutcome {
  state: SyncState;
  warnings: string[];
}

/** A full sync: recent unread and important mail from the last `lookbackDays` days, newest first. */
async function fullSync(sync: Sync): Promise<SyncOutcome> {
  const { gmail, context, options } = sync;
  const { lookbackDays, maxMessages } = context.settings.sources.gmail;
  // The historyId is taken first, so nothing that arrives during the listing is missed next time.
  const profile = await withBackoff(() => gmail.users.getProfile({ userId: 'me' }, options), context);
  const historyId = profile.data.historyId ?? '';
  const ids: string[] = [];
  let pageToken: string | undefined;
  do {
    const page = await withBackoff(
      () =>
        gmail.users.messages.list(
          {
            userId: 'me',
            q: `newer_than:${lookbackDays}d {is:unread is:important is:starred}`,
            maxResults: Math.min(500, maxMessages - ids.length),
            ...(pageToken ? { pageToken } : {}),
          },
          options,
        ),
      context,
    );
    for (const m of page.data.messages ?? []) if (m.id && ids.length < maxMessages) ids.push(m.id);
    pageToken = page.data.nextPageToken ?? undefined;
  } while (pageToken && ids.length < maxMessages);
  const fetched = await fetchMessages(sync, ids, new Map());
  return { state: { historyId, messages: fetched.items }, warnings: fetched.warnings };
}

/** Changes since the stored historyId; undefined when Gmail no longer has that far back (404): resync fully. */
async function incremental(sync: Sync, previous: SyncState): Promise<SyncOutcome | undefined> {
  const { gmail, context, options } = sync;
  const changed = new Set<string>();
  const deleted = new Set<string>();
  let historyId = previous.historyId;
  let pageToken: string | undefined;
  try {
    do {
      const page = await withBackoff(
        () =>
          gmail.users.history.list(
            {
              userId: 'me',
              startHistoryId: previous.historyId,
              historyTypes: HISTORY_TYPES,
              maxResults: 500,
              ...(pageToken ? { pageToken } : {}),
            },
            options,
          ),
        context,
      );
      for (const record of page.data.history ?? []) {
        for (const entry of [
          ...(record.messagesAdded ?? []),
          ...(record.labelsAdded ?? []),
          ...(record.labelsRemoved ?? []),
        ]) {
          if (entry.message?.id) changed.add(entry.message.id);
        }
        for (const entry of record.messagesDeleted ?? []) if (entry.message?.id) deleted.add(entry.message.id);
      }
      historyId = page.data.historyId ?? historyId;
      pageToken = page.data.nextPageToken ?? undefined;
    } while (pageToken);
  } catch (error) {
    if (statusOf(error) === 404) return undefined;
    throw error;
  }
  const known = new Map(previous.messages.map((item) => [nativeId(item), item]));
  for (const id of deleted) {
    known.delete(id);
    changed.delete(id);
  }
  const fetched = await fetchMessages(sync, [...changed], known);
  const refreshed = new Set(changed);
  const untouched = [...known.entries()].filter(([id]) => !refreshed.has(id)).map(([, item]) => item);
  return { state: { historyId, messages: [...fetched.items, ...untouched] }, warnings: fetched.warnings };
}

/**
 * Fetches messages in parallel (bounded, with backoff). A message that is gone (404) or no longer wanted drops
 * out; one that fails otherwise keeps its previous item, if any, and costs a warning, not the account.
 */
async function fetchMessages(
  sync: Sync,
  ids: string[],
  previous: Map<string, Item>,
): Promise<{ items: Item[]; warnings: string[] }> {
  const limit = pLimit(sync.context.settings.sources.gmail.concurrency);
  const settled = await Promise.allSettled(ids.map((id) => limit(() => fetchMessage(sync, id))));
  const items: Item[] = [];
  const failures: unknown[] = [];
  settled.forEach((outcome, index) => {
    const id = ids[index] ?? '';
    if (outcome.status === 'fulfilled') {
      if (outcome.value) items.push(outcome.value);
      return;
    }
    failures.push(outcome.reason);
    const old = previous.get(id);
    if (old) items.push(old);
  });
  if (failures.length && failures.length === ids.length) throw failures[0];
  const warnings = failures.length
    ? [`${failures.length} of ${ids.length} messages could not be fetched (${describeError(failures[0])})`]
    : [];
  return { items, warnings };
}

async function fetchMessage(sync: Sync, id: string): Promise<Item | undefined> {
  const { gmail, context, options, account } = sync;
  let message: gmail_v1.Schema$Message;
  let mail: MailText;
  try {
    message = (await withBackoff(() => gmail.users.messages.get({ userId: 'me', id, format: 'raw' }, options), context))
      .data;
    mail = await mailText(decodeBase64Url(message.raw ?? ''));
  } catch (error) {
    if (statusOf(error) === 404) return undefined;
    if (!isTooLarge(error)) throw error;
    // A message with big attachments: its headers and snippet still make a useful item.
    message = (
      await withBackoff(
        () =>
          gmail.users.messages.get(
            { userId: 'me', id, format: 'metadata', metadataHeaders: ['From', 'Subject'] },
            options,
          ),
        context,
      )
    ).data;
    mail = headerText(message);
  }
  if (!wanted(message, context)) return undefined;
  return toEmailItem(account, message, mail);
}

function wanted(message: gmail_v1.Schema$Message, context: ConnectorContext): boolean {
  const labels = message.labelIds ?? [];
  if (labels.some((l) => UNWANTED_LABELS.includes(l))) return false;
  if (!labels.some((l) => WANTED_LABELS.includes(l))) return false;
  const at = Number(message.internalDate ?? NaN);
  const cutoff = context.clock.now().getTime() - context.settings.sources.gmail.lookbackDays * 86_400_000;
  return !Number.isFinite(at) || at >= cutoff;
}

/** Newest first, within the look-back window, at most `maxMessages`. */
function prune(items: Item[], context: ConnectorContext): Item[] {
  const cutoff = context.clock.now().getTime() - context.settings.sources.gmail.lookbackDays * 86_400_000;
  return items
    .filter((item) => !item.publishedAt || Date.parse(item.publishedAt) >= cutoff)
    .sort((a, b) => (b.publishedAt ?? '').localeCompare(a.publishedAt ?? ''))
    .slice(0, context.settings.sources.gmail.maxMessages);
}

function nativeId(item: Item): string {
  return item.id.slice('gmail:'.length);
}

function isTooLarge(error: unknown): boolean {
  return (error as { type?: unknown } | undefined)?.type === 'max-size' || /over limit/.test(String(error));
}

function headerText(message: gmail_v1.Schema$Message): MailText {
  const header = (name: string) =>
    message.payload?.headers?.find((h) => h.name?.toLowerCase() === name.toLowerCase())?.value ?? '';
  const from = header('From');
  const address = (/<([^>]+)>/.exec(from)?.[1] ?? from).trim().toLowerCase();
  const name = /^\s*"?([^"<]*?)"?\s*</.exec(from)?.[1] ?? '';
  return { subject: header('Subject'), fromName: name, fromAddress: address, text: '' };
}
