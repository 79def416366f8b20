import type { gmail_v1 } from '@googleapis/gmail';
import { SNIPPET_MAX, type Item } from '../../core/types.ts';
import { htmlToPlainText, truncate } from '../html-text.ts';
import type { MailText } from '../mail-text.ts';

const TITLE_MAX = 300;

export { BODY_MAX, mailText, type MailText } from '../mail-text.ts';

export function decodeBase64Url(data: string): Buffer {
  return Buffer.from(data, 'base64url');
}

/** Gmail's link to one message in the right signed-in account. */
export function gmailLink(account: string, messageId: string): string {
  return `https://mail.google.com/mail/?authuser=${encodeURIComponent(account)}#all/${encodeURIComponent(messageId)}`;
}

export function toEmailItem(account: string, message: gmail_v1.Schema$Message, mail: MailText): Item {
  const id = message.id ?? '';
  const labels = message.labelIds ?? [];
  const domain = mail.fromAddress.split('@')[1] ?? '';
  // Gmail's snippet is HTML-escaped ("&#39;"); decoding it through the HTML converter also strips any markup.
  const snippet = message.snippet ? htmlToPlainText(message.snippet, SNIPPET_MAX) : truncate(mail.text, SNIPPET_MAX);
  const internal = Number(message.internalDate ?? NaN);
  const item: Item = {
    id: `gmail:${id}`,
    kind: 'email',
    source: 'gmail',
    origin: account,
    title: truncate(mail.subject, TITLE_MAX) || '(no subject)',
    snippet: snippet || truncate(mail.text, SNIPPET_MAX),
    url: gmailLink(account, id),
    author: mail.fromName || mail.fromAddress || 'unknown sender',
    tags: labels,
    meta: {
      account,
      from: mail.fromAddress,
      domain,
      labels,
      threadId: message.threadId ?? id,
      unread: labels.includes('UNREAD'),
      important: labels.includes('IMPORTANT'),
      starred: labels.includes('STARRED'),
      ...(labels.find((l) => l.startsWith('CATEGORY_'))
        ? { category: labels.find((l) => l.startsWith('CATEGORY_')) }
        : {}),
    },
  };
  if (mail.text) item.body = mail.text;
  if (Number.isFinite(internal)) item.publishedAt = new Date(internal).toISOString();
  return item;
}
