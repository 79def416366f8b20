import PostalMime from 'postal-mime';
import { collapseWhitespace, htmlToPlainText, truncate } from './html-text.ts';

/** Plain text kept per message: enough for the model and the memory, bounded whatever the mail. */
export const BODY_MAX = 20_000;

export interface MailText {
  subject: string;
  fromName: string;
  fromAddress: string;
  /** The text/plain alternative, else the HTML one turned into text; attachments never. */
  text: string;
}

/**
 * The raw RFC 822 message (Gmail's `format=raw`, an IMAP `BODY.PEEK[]`) to plain text. postal-mime walks the MIME tree:
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
