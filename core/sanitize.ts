import { safeHttpUrl } from './links.ts';
import { SNIPPET_MAX, type Item } from './types.ts';

/**
 * Feed and mail text is untrusted. Whatever a connector produced, nothing that reaches the store,
 * the terminal or the UI may carry control characters (terminal escape sequences, NULs) or bidi
 * overrides that disguise text, and every field has a size bound.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

export const LIMITS = { title: 300, snippet: SNIPPET_MAX, body: 20_000, author: 200, origin: 200, tag: 60, tags: 20 };

export function cleanText(text: string, max: number): string {
  const cleaned = text.replace(CONTROL, '');
  return cleaned.length > max ? `${cleaned.slice(0, max - 1)}…` : cleaned;
}

function cleanLine(text: string, max: number): string {
  return cleanText(text.replace(/[\t\n\r]+/g, ' '), max).trim();
}

function cleanMeta(meta: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(meta)) {
    if (typeof value === 'string') out[key] = cleanText(value, 2000);
    else if (Array.isArray(value))
      out[key] = (value as unknown[]).map((v) => (typeof v === 'string' ? cleanText(v, 500) : v));
    else out[key] = value;
  }
  return out;
}

export function sanitizeItem(item: Item): Item {
  const out: Item = {
    ...item,
    title: cleanLine(item.title, LIMITS.title),
    snippet: cleanText(item.snippet, LIMITS.snippet),
    tags: item.tags.slice(0, LIMITS.tags).map((t) => cleanLine(t, LIMITS.tag)),
  };
  if (item.body !== undefined) out.body = cleanText(item.body, LIMITS.body);
  if (item.author !== undefined) out.author = cleanLine(item.author, LIMITS.author);
  if (item.origin !== undefined) out.origin = cleanLine(item.origin, LIMITS.origin);
  if (item.category !== undefined) out.category = cleanLine(item.category, LIMITS.tag);
  const url = safeHttpUrl(item.url);
  if (url) out.url = url;
  else delete out.url;
  if (item.meta) out.meta = cleanMeta(item.meta);
  return out;
}
