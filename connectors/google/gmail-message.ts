import PostalMime from 'postal-mime';
import type { gmail_v1 } from '@googleapis/gmail';
import { SNIPPET_MAX, type Item } from '../../core/types.ts';
import { collapseWhitespace, htmlToPlainText, truncate } from '../html-text.ts';

/** Plain text kept per message: enough for the model and the memory, bounded whatever the mail. */
export const BODY_MAX = 20_000;
const TITLE_MAX = 300;

export interface MailText {
  subject: string;
  fromName: string;
  fromAddress: string;
  /** The text/plain alternative, else the HTML one turned into text; attachments never. */
  text: string;
}

/**
 * The raw RFC 822 message (Gmail `format=raw`, base64url) to plain text. postal-mime walks the MIME tree:
 * multipart/alternative and nested multiparts, base64 and quoted-printable, each part's charset, encoded-word
 * headers; attachments end up in `attachments`, which is ignored.
 */
export async function mailText(raw: Buffer): Promise<MailText> {
  const email = await PostalMime.parse(raw, { attachmentEncoding: 'arraybuffer', maxNestingDepth: 50 });
  const from = email.from && 'address' in email.from ? email.from : undefined;
  const plain = email.text?.trim() ? collapseWhitespace(email.text) : '';
  const text = plain || (email.html ? htmlToPlainText(email.html, BODY_MAX) : '');
  return {
    subject: collapseWhitespace(email.subject ?? ''),
    fromName: collapseWhitespace(from?.name ?? ''),
    fromAddress: (from?.address ?? '').trim().toLowerCase(),
    text: truncate(text, BODY_MAX),
  };
}

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
