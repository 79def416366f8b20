import { Parser } from 'htmlparser2';

/** Feed links sit in a page's head; a page is read no further than this. */
const PAGE_CHARS_READ = 512 * 1024;
const FEED_TYPES = new Set([
  'application/rss+xml',
  'application/atom+xml',
  'application/feed+json',
  'application/rdf+xml',
]);

/**
 * The feeds a web page names for itself (`<link rel="alternate" type="application/rss+xml" href="…">`), as
 * absolute http(s) addresses, best first: in page order, a comments feed after the others. The page is data:
 * nothing in it is run or fetched here.
 */
export function feedLinks(html: string, pageUrl: string): string[] {
  const found: { url: string; comments: boolean }[] = [];
  let base = pageUrl;
  const parser = new Parser(
    {
      onopentag(name, attributes) {
        if (name === 'base' && attributes.href) base = absolute(attributes.href, pageUrl) ?? base;
        if (name !== 'link' || !attributes.href) return;
        const rels = (attributes.rel ?? '').toLowerCase().split(/\s+/);
        const type = (attributes.type ?? '').toLowerCase().split(';')[0]?.trim() ?? '';
        if (!rels.includes('alternate') || !FEED_TYPES.has(type)) return;
        const url = absolute(attributes.href, base);
        if (url && !found.some((f) => f.url === url)) {
          found.push({ url, comments: /comment/i.test(attributes.title ?? '') });
        }
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  parser.write(html.slice(0, PAGE_CHARS_READ));
  parser.end();
  return [...found.filter((f) => !f.comments), ...found.filter((f) => f.comments)].map((f) => f.url);
}

function absolute(href: string, base: string): string | undefined {
  try {
    const url = new URL(href.trim(), base);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}
