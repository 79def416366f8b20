import { SNIPPET_MAX, type Item } from '../../core/types.ts';
import { truncate } from '../html-text.ts';
import { mailText } from '../mail-text.ts';

const TITLE_MAX = 300;

export interface FetchedMessage {
  uid: number;
  flags: Set<string>;
  internalDate?: Date | string;
  /** The raw message, possibly cut at the size bound (attachments come last, so the text is usually whole). */
  source?: Buffer;
}

/** Mail that matters in a brief, as for Gmail: unread or flagged, never deleted or a draft. */
export function isWanted(flags: Set<string>): boolean {
  if (flags.has('\\Deleted') || flags.has('\\Draft')) return false;
  return !flags.has('\\Seen') || flags.has('\\Flagged');
}

/** The ranking signals Gmail's labels carry, from IMAP flags: \Flagged is starred, no \Seen is unread. */
export function flagTags(flags: Set<string>): string[] {
  return [...(flags.has('\\Seen') ? [] : ['UNREAD']), ...(flags.has('\\Flagged') ? ['STARRED'] : [])];
}

/** The same item shape as Gmail's, so ranking, prep and memory treat both alike. */
export async function toImapItem(
  account: { key: string; address: string },
  mailbox: { path: string; uidValidity: string },
  message: FetchedMessage,
): Promise<Item> {
  const mail = await mailText(message.source ?? Buffer.alloc(0));
  const tags = flagTags(message.flags);
  const domain = mail.fromAddress.split('@')[1] ?? '';
  const item: Item = {
    id: `imap:${account.key}/${mailbox.path}/${mailbox.uidValidity}/${String(message.uid)}`,
    kind: 'email',
    source: 'imap',
    origin: account.address,
    title: truncate(mail.subject, TITLE_MAX) || '(no subject)',
    snippet: truncate(mail.text, SNIPPET_MAX),
    author: mail.fromName || mail.fromAddress || 'unknown sender',
    tags,
    meta: {
      account: account.address,
      from: mail.fromAddress,
      domain,
      labels: tags,
      mailbox: mailbox.path,
      uid: message.uid,
      unread: tags.includes('UNREAD'),
      important: false,
      starred: tags.includes('STARRED'),
    },
  };
  if (mail.text) item.body = mail.text;
  const at = message.internalDate ? new Date(message.internalDate) : undefined;
  if (at && !Number.isNaN(at.getTime())) item.publishedAt = at.toISOString();
  return item;
}

/** The same message with new flags: nothing but the flags is fetched again. */
export function withFlags(item: Item, flags: Set<string>): Item {
  const tags = flagTags(flags);
  return {
    ...item,
    tags,
    meta: { ...item.meta, labels: tags, unread: tags.includes('UNREAD'), starred: tags.includes('STARRED') },
  };
}
