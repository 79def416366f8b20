import { DetectError, MalformedError, ParseError, parseFeed } from 'feedsmith';
import type { AnyFeed } from 'feedsmith';
import { AppError, describeError, type ErrorCode } from '../core/errors.ts';
import { collapseWhitespace, truncate } from './html-text.ts';

// Recognising (non-)feeds

function fail(code: ErrorCode, label: string, problem: string, cause?: unknown): AppError {
  return new AppError(code, `${label}: ${problem}`, { cause });
}

/**
 * Checks a fetched document before and around parsing: empty body, JSON that is not a JSON Feed, HTML page, not XML,
 * missing closing root tag, DOCTYPE stripping. Throws an AppError that names the feed; otherwise returns the parse.
 */
export function parseDocument(text: string, label: string): AnyFeed {
  const doc = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const start = doc.search(/\S/);
  if (start === -1) throw fail('feed_empty', label, 'is empty');
  const first = doc[start];
  if (first === '{' || first === '[') {
    try {
      return parseFeed(doc);
    } catch (error) {
      throw fail('feed_unrecognised', label, 'is JSON but not a JSON Feed', error);
    }
  }
  if (first !== '<') throw fail('feed_not_xml', label, 'is not valid XML (it does not start with a tag)');

  const prolog = scanProlog(doc, start);
  if (typeof prolog === 'string') throw fail('feed_not_xml', label, `is not valid XML (${prolog})`);
  const root = prolog.root;
  if (HTML_ROOTS.has(root.toLowerCase()) || prolog.doctypeName?.toLowerCase() === 'html') {
    throw new AppError('feed_html', `${label}: is an HTML page, not a feed`, {
      hint: 'Use the address of the feed itself, not of the website',
    });
  }
  // Feeds never need a DTD. Dropping it means no entity declared in it can ever be expanded (billion laughs) or
  // fetched (SYSTEM "file:///etc/passwd"), whatever the parser's own settings; feedsmith also runs with
  // processEntities off, so references to such entities stay inert text.
  const xml = prolog.doctype ? doc.slice(0, prolog.doctype.start) + doc.slice(prolog.doctype.end) : doc;
  // The lenient parser happily returns the first half of a cut-off download; a missing closing root tag says so.
  if (xml.lastIndexOf(`</${root}`) === -1) {
    throw fail('feed_not_xml', label, `is not valid XML (it ends without a closing </${root}> tag)`);
  }
  try {
    return parseFeed(xml);
  } catch (error) {
    if (error instanceof DetectError) {
      throw fail('feed_unrecognised', label, `is XML but not an RSS, Atom or RDF feed (root element <${root}>)`, error);
    }
    if (error instanceof MalformedError) {
      const detail = error.cause instanceof Error ? ` (${firstLine(error.cause.message)})` : '';
      throw fail('feed_not_xml', label, `is not valid XML${detail}`, error);
    }
    if (error instanceof ParseError) throw fail('feed_invalid', label, 'is not a valid feed', error);
    throw fail('feed_invalid', label, `could not be parsed (${describeError(error)})`, error);
  }
}

const HTML_ROOTS = new Set(['html', 'head', 'body']);

interface Prolog {
  root: string;
  doctype?: { start: number; end: number };
  doctypeName?: string;
}

const ROOT_NAME = /<([A-Za-z_][\w.:-]*)/y;
const DOCTYPE_NAME = /<!DOCTYPE\s+([^\s[>]+)/iy;

/** Walks the XML declaration, processing instructions, comments and DOCTYPE up to the root element. */
function scanProlog(doc: string, from: number): Prolog | string {
  let i = from;
  let doctype: Prolog['doctype'];
  let doctypeName: string | undefined;
  for (;;) {
    while (i < doc.length && /\s/.test(doc.charAt(i))) i += 1;
    if (doc.startsWith('<?', i)) {
      const end = doc.indexOf('?>', i + 2);
      if (end === -1) return 'unterminated processing instruction';
      i = end + 2;
    } else if (doc.startsWith('<!--', i)) {
      const end = doc.indexOf('-->', i + 4);
      if (end === -1) return 'unterminated comment';
      i = end + 3;
    } else if (doc.slice(i, i + 9).toUpperCase() === '<!DOCTYPE') {
      const end = doctypeEnd(doc, i + 9);
      if (end === -1) return 'unterminated DOCTYPE';
      DOCTYPE_NAME.lastIndex = i;
      doctypeName = DOCTYPE_NAME.exec(doc)?.[1];
      doctype = { start: i, end };
      i = end;
    } else {
      ROOT_NAME.lastIndex = i;
      const match = ROOT_NAME.exec(doc);
      if (!match?.[1]) return i >= doc.length ? 'no root element' : 'text or markup where the root element should be';
      return { root: match[1], doctype, doctypeName };
    }
  }
}

/** The index just past the DOCTYPE's closing `>`, skipping the internal subset, quoted strings and comments. */
function doctypeEnd(doc: string, from: number): number {
  let quote: string | undefined;
  let depth = 0;
  for (let j = from; j < doc.length; j += 1) {
    const c = doc.charAt(j);
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (doc.startsWith('<!--', j)) {
      const end = doc.indexOf('-->', j + 4);
      if (end === -1) return -1;
      j = end + 2;
    } else if (c === '[') {
      depth += 1;
    } else if (c === ']') {
      depth -= 1;
    } else if (c === '>' && depth <= 0) {
      return j + 1;
    }
  }
  return -1;
}

function firstLine(text: string): string {
  return truncate(collapseWhitespace(text.split('\n')[0] ?? ''), 160);
}
