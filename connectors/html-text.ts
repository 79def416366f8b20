import { compile } from 'html-to-text';

const ELLIPSIS = '…';

/**
 * Markup is often far heavier than its text (inline styles, tracking attributes). Converting a multi-megabyte
 * article to fill a 2,000-character snippet is wasted work, so the input is cut at this many characters per
 * output character (with a floor), and the result is marked with an ellipsis when that cut may have lost text.
 */
const INPUT_CHARS_PER_OUTPUT_CHAR = 40;
const MIN_INPUT_CHARS = 100_000;

const convert = compile({
  wordwrap: false,
  // We cut the input ourselves; this only stops html-to-text from warning on stderr with its own limit.
  limits: { maxInputLength: Number.MAX_SAFE_INTEGER },
  selectors: [
    { selector: 'a', options: { ignoreHref: true } },
    { selector: 'img', format: 'skip' },
    { selector: 'picture', format: 'skip' },
    { selector: 'svg', format: 'skip' },
    { selector: 'video', format: 'skip' },
    { selector: 'audio', format: 'skip' },
    { selector: 'iframe', format: 'skip' },
    { selector: 'script', format: 'skip' },
    { selector: 'style', format: 'skip' },
    { selector: 'noscript', format: 'skip' },
    { selector: 'template', format: 'skip' },
    { selector: 'hr', format: 'skip' },
    // The defaults shout headings and table headers in capitals; a snippet should keep the author's casing.
    ...(['h1', 'h2', 'h3', 'h4', 'h5', 'h6'] as const).map((selector) => ({ selector, options: { uppercase: false } })),
    { selector: 'table', format: 'dataTable', options: { uppercaseHeaderCells: false } },
    { selector: 'ul', options: { itemPrefix: '• ' } },
  ],
});

/**
 * Terminal escape sequences, so that feed text printed by the CLI cannot retitle the terminal, clear the screen or
 * write the clipboard (OSC 52). String sequences (OSC, DCS, SOS, PM, APC: ESC ] P X ^ _ or their C1 forms) run to
 * BEL or ST; CSI runs to its final byte; any other ESC takes its intermediates and one final byte. Bodies exclude
 * control characters, so each scan stops at the next one and the whole pass stays linear on hostile input. An
 * unterminated sequence is not matched: its ESC is still removed below, which leaves only inert text.
 */
const ESCAPE_SEQUENCE =
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  /(?:\u001B[\]PX^_]|[\u0090\u0098\u009D\u009E\u009F])[^\u0000-\u001F\u007F-\u009F]*(?:\u0007|\u001B\\|\u009C)|(?:\u001B\[|\u009B)[\u0030-\u003F]*[\u0020-\u002F]*[\u0040-\u007E]|\u001B[\u0020-\u002F]*[\u0030-\u007E]/g;

// C0 and C1 controls except tab, LF, VT, FF and CR (whitespace, collapsed below); DEL.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000E-\u001F\u007F-\u009F]/g;

// Zero-width characters and the BOM survive `\s` collapsing but are invisible noise in a snippet. Bidi embeddings,
// overrides and isolates can make a title display reversed or hide part of it ("Trojan Source").
const INVISIBLE = /[\u200B-\u200D\u2060\uFEFF\u202A-\u202E\u2066-\u2069]/g;

/**
 * Collapses every run of whitespace (newlines, tabs, no-break spaces) to one space and trims; drops terminal escape
 * sequences, other control characters, zero-width and bidi control characters. Every piece of feed text shown to
 * the user passes through here.
 */
export function collapseWhitespace(text: string): string {
  return text.replace(ESCAPE_SEQUENCE, '').replace(CONTROL, '').replace(INVISIBLE, '').replace(/\s+/g, ' ').trim();
}

/**
 * At most `max` characters, ending in an ellipsis when anything was cut. Prefers to cut at a word boundary
 * near the end, and never splits a surrogate pair.
 */
export function truncate(text: string, max: number): string {
  if (max <= 0) return '';
  if (text.length <= max) return text;
  if (max === 1) return ELLIPSIS;
  let end = max - 1;
  // Cutting between a high and a low surrogate would leave a broken character.
  if (isHighSurrogate(text.charCodeAt(end - 1))) end -= 1;
  const space = text.lastIndexOf(' ', end);
  // Only back off to a word boundary if it costs little; a long URL-like token is better cut mid-way.
  if (space > 0 && space >= end - Math.max(10, Math.floor(max * 0.2))) end = space;
  return text.slice(0, end).trimEnd() + ELLIPSIS;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/**
 * HTML to one line of plain text: entities decoded, tags dropped, scripts, styles and images skipped, links
 * reduced to their text, whitespace collapsed, and at most `maxChars` characters (ellipsis when cut).
 */
export function htmlToPlainText(html: string, maxChars: number): string {
  if (maxChars <= 0 || html === '') return '';
  const inputLimit = Math.max(MIN_INPUT_CHARS, maxChars * INPUT_CHARS_PER_OUTPUT_CHAR);
  const cut = html.length > inputLimit;
  const text = collapseWhitespace(convert(cut ? html.slice(0, inputLimit) : html));
  if (!cut || text === '') return truncate(text, maxChars);
  const kept = truncate(text, maxChars - 1);
  return kept.endsWith(ELLIPSIS) ? kept : kept + ELLIPSIS;
}
