import { describe, expect, test } from 'vitest';
import { AppError } from '../core/errors.ts';
import {
  atomFeed,
  billionLaughsFeed,
  externalEntityFeed,
  htmlPage,
  malformedFeed,
  rssFeed,
} from '../test/fakes/feed-server.ts';
import {
  ENTRIES_MAX,
  feedLabel,
  parseFeedDate,
  parseFeedDocument,
  stableHash,
  type FeedDocumentOptions,
} from './rss-parse.ts';

const FEED_URL = 'https://news.example.com/section/feed.xml';
const base: FeedDocumentOptions = { feedUrl: FEED_URL, maxItems: 20, snippetMax: 2000 };

function parse(xml: string, options: Partial<FeedDocumentOptions> = {}) {
  return parseFeedDocument(xml, { ...base, ...options });
}

function parseError(xml: string, options: Partial<FeedDocumentOptions> = {}): AppError {
  try {
    parse(xml, options);
  } catch (error) {
    if (error instanceof AppError) return error;
    throw new Error(`expected an AppError, got ${String(error)}`, { cause: error });
  }
  throw new Error('expected parseFeedDocument to throw');
}

const RSS = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
  <title>Example &amp; Co News</title>
  <link>https://news.example.com/</link>
  <description>All the news</description>
  <item>
    <title><![CDATA[Markets <em>rally</em> &amp; bonds slip]]></title>
    <link>/markets/2025/rally?ref=rss&amp;x=1</link>
    <guid isPermaLink="false">market-rally-42</guid>
    <description>&lt;p&gt;Stocks rose &amp;amp; fell&lt;/p&gt;&lt;script&gt;alert("pwned")&lt;/script&gt;&lt;p&gt;It&#8217;s&nbsp;a &lt;a href="https://ads.example/track"&gt;big day&lt;/a&gt;.&lt;/p&gt;</description>
    <content:encoded><![CDATA[<p>Full <b>story</b> text.</p><img src="chart.png" alt="CHART"><style>.x{}</style><p>Second &amp; last paragraph.</p>]]></content:encoded>
    <pubDate>Tue, 10 Jun 2025 08:30:00 +0200</pubDate>
    <category>Markets</category>
    <category><![CDATA[Bonds &amp; Rates]]></category>
    <category>markets</category>
    <dc:creator>Jane Doe</dc:creator>
  </item>
  <item>
    <title>Older story</title>
    <link>https://other.example.org/older</link>
    <pubDate>Mon, 09 Jun 2025 23:00:00 GMT</pubDate>
  </item>
  <item>
    <title>Newest story</title>
    <link>relative/newest.html</link>
    <pubDate>10 Jun 2025 07:00 EDT</pubDate>
  </item>
</channel>
</rss>`;

describe('RSS 2.0', () => {
  const items = parse(RSS, { name: 'Example Markets', category: 'market' });

  test('all entries, newest first', () => {
    expect(items.map((i) => i.title)).toEqual(['Newest story', 'Markets rally & bonds slip', 'Older story']);
    expect(items.map((i) => i.publishedAt)).toEqual([
      '2025-06-10T11:00:00.000Z',
      '2025-06-10T06:30:00.000Z',
      '2025-06-09T23:00:00.000Z',
    ]);
  });

  test('CDATA title and HTML-escaped description become plain text without the script or the href', () => {
    const item = items[1];
    expect(item?.title).toBe('Markets rally & bonds slip');
    expect(item?.snippet).toBe('Stocks rose & fell It’s a big day.');
    expect(item?.snippet).not.toMatch(/alert|pwned|ads\.example/);
  });

  test('content:encoded becomes the body, without images and styles', () => {
    expect(items[1]?.body).toBe('Full story text. Second & last paragraph.');
    expect(items[0]?.body).toBeUndefined();
  });

  test('relative links resolve against the feed URL; absolute ones stay', () => {
    expect(items.map((i) => i.url)).toEqual([
      'https://news.example.com/section/relative/newest.html',
      'https://news.example.com/markets/2025/rally?ref=rss&x=1',
      'https://other.example.org/older',
    ]);
  });

  test('the rest of the item', () => {
    expect(items[1]).toMatchObject({
      id: `rss:${stableHash(`${FEED_URL}market-rally-42`)}`,
      kind: 'news',
      source: 'rss',
      origin: 'Example Markets',
      author: 'Jane Doe',
      category: 'market',
      tags: ['Markets', 'Bonds & Rates'],
      meta: { feedUrl: FEED_URL },
    });
    expect(items[1]?.id).toMatch(/^rss:[0-9a-f]{16}$/);
    expect(items[0]?.author).toBeUndefined();
    expect(items[0]?.tags).toEqual([]);
  });

  test('without a configured name the feed title is the origin; without a category there is none', () => {
    const [item] = parse(RSS);
    expect(item?.origin).toBe('Example & Co News');
    expect(item?.category).toBeUndefined();
  });

  test('ids are stable across parses and differ between feeds', () => {
    const again = parse(RSS);
    expect(again.map((i) => i.id)).toEqual(items.map((i) => i.id));
    const elsewhere = parse(RSS, { feedUrl: 'https://mirror.example/feed.xml' });
    expect(new Set([...items, ...elsewhere].map((i) => i.id)).size).toBe(6);
    // No guid: the link is the key.
    expect(items[2]?.id).toBe(`rss:${stableHash(`${FEED_URL}https://other.example.org/older`)}`);
  });

  test('titles that merely look like markup are kept literally', () => {
    const xml = RSS.replace('<title>Older story</title>', '<title>Why &lt;T&gt; beats any, and 1 &lt; 2</title>');
    expect(parse(xml)[2]?.title).toBe('Why <T> beats any, and 1 < 2');
  });
});

describe('limits and odd entries', () => {
  test('caps at maxItems, keeping the newest even when the document is not in date order', () => {
    const newest = Date.parse('2025-06-10T06:00:00Z');
    // Hours back from the newest, deliberately scrambled.
    const order = [7, 2, 9, 0, 5, 1, 8, 3, 6, 4];
    const xml = rssFeed({
      title: 'Wire',
      items: order.map((hours) => ({
        title: `${hours}h ago`,
        link: `https://wire.example/${hours}`,
        pubDate: new Date(newest - hours * 3_600_000).toUTCString(),
      })),
    });
    const items = parse(xml, { maxItems: 4 });
    expect(items.map((i) => i.title)).toEqual(['0h ago', '1h ago', '2h ago', '3h ago']);
    expect(items[0]?.publishedAt).toBe('2025-06-10T06:00:00.000Z');
  });

  test(`only the first ${ENTRIES_MAX} entries of a document are considered`, () => {
    const newest = Date.parse('2025-06-10T06:00:00Z');
    const items = Array.from({ length: ENTRIES_MAX + 1 }, (_, i) => ({
      id: `j${i}`,
      url: `https://j.example/${i}`,
      title: `Entry ${i}`,
      // Oldest first, so the one entry past the cap would be the newest of all if it were read.
      date_published: new Date(newest - (ENTRIES_MAX - i) * 60_000).toISOString(),
    }));
    const json = JSON.stringify({ version: 'https://jsonfeed.org/version/1.1', title: 'Long', items });
    const parsed = parse(json, { maxItems: ENTRIES_MAX + 10 });
    expect(parsed).toHaveLength(ENTRIES_MAX);
    expect(parsed[0]?.title).toBe(`Entry ${ENTRIES_MAX - 1}`);
    expect(parsed.map((i) => i.title)).not.toContain(`Entry ${ENTRIES_MAX}`);
  });

  test('undated entries come after dated ones, in document order', () => {
    const xml = `<rss version="2.0"><channel><title>T</title>
      <item><title>undated A</title><link>https://x.example/a</link></item>
      <item><title>dated</title><link>https://x.example/d</link><pubDate>Tue, 10 Jun 2025 04:00:00 GMT</pubDate></item>
      <item><title>undated B</title><link>https://x.example/b</link></item>
    </channel></rss>`;
    expect(parse(xml).map((i) => i.title)).toEqual(['dated', 'undated A', 'undated B']);
  });

  test('skips entries with neither title nor link; a link alone gets a title from the text', () => {
    const xml = `<rss version="2.0"><channel><title>T</title>
      <item><description>orphan text</description></item>
      <item><link>https://x.example/untitled</link><description>&lt;p&gt;Only a summary here&lt;/p&gt;</description></item>
      <item><title>Title only</title></item>
    </channel></rss>`;
    const items = parse(xml);
    expect(items.map((i) => [i.title, i.url])).toEqual([
      ['Only a summary here', 'https://x.example/untitled'],
      ['Title only', undefined],
    ]);
  });

  test('a guid that is a permalink stands in for a missing link; javascript: links never pass', () => {
    const xml = `<rss version="2.0"><channel><title>T</title>
      <item><title>Permalink</title><guid>https://x.example/p/1</guid></item>
      <item><title>Not a permalink</title><guid isPermaLink="false">https://x.example/p/2</guid></item>
      <item><title>Script</title><link>javascript:alert(1)</link></item>
    </channel></rss>`;
    expect(parse(xml).map((i) => i.url)).toEqual(['https://x.example/p/1', undefined, undefined]);
  });

  test('duplicate guids collapse to one item', () => {
    const xml = `<rss version="2.0"><channel><title>T</title>
      <item><title>First</title><guid>dup</guid></item>
      <item><title>Second</title><guid>dup</guid></item>
    </channel></rss>`;
    expect(parse(xml).map((i) => i.title)).toEqual(['First']);
  });

  test('snippet, body and tags are bounded', () => {
    const categories = Array.from({ length: 15 }, (_, i) => `<category>tag${i}</category>`).join('');
    const xml = `<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>T</title>
      <item><title>Long</title><link>https://x.example/l</link>
      <description>${'lorem ipsum '.repeat(100)}</description>
      <content:encoded>${'dolor sit '.repeat(100)}</content:encoded>${categories}</item>
    </channel></rss>`;
    const [item] = parse(xml, { snippetMax: 100, bodyMax: 200 });
    expect(item?.snippet.length).toBeLessThanOrEqual(100);
    expect(item?.snippet).toMatch(/^lorem ipsum lorem .*…$/);
    expect(item?.body?.length).toBeLessThanOrEqual(200);
    expect(item?.body).toMatch(/…$/);
    expect(item?.tags).toEqual(Array.from({ length: 10 }, (_, i) => `tag${i}`));
  });

  test('without a description the snippet comes from the content', () => {
    const xml = `<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>T</title>
      <item><title>C</title><link>https://x.example/c</link><content:encoded><![CDATA[<p>From content</p>]]></content:encoded></item>
    </channel></rss>`;
    expect(parse(xml)[0]).toMatchObject({ snippet: 'From content', body: 'From content' });
  });
});

describe('hostile text', () => {
  const ESCAPED = '\u001b]52;c;ZXZpbA==\u0007Hello\u001b[2J';

  test('terminal escapes, control and bidi characters never reach titles, authors, tags or the origin', () => {
    const xml = `<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>Wire${ESCAPED}</title>
      <item><title>${ESCAPED}</title><link>https://x.example/1</link><dc:creator>Eve\u001b[31m\u202E</dc:creator>
        <category>ta\u0007g</category><description>&lt;p&gt;Body \u001b]0;pwned\u0007text&lt;/p&gt;</description></item>
      <item><title>Fish &amp;amp; ${ESCAPED}</title><link>https://x.example/2</link><author>a@b.example (Mal\u0000lory)</author></item>
      <item><title>Cleared &#x1b;[2Jscreen</title><link>https://x.example/3</link></item>
    </channel></rss>`;
    const items = parse(xml);
    // Plain text, text that looks like HTML, and a character reference that only decoding turns into ESC.
    expect(items.map((i) => [i.origin, i.title, i.author, i.snippet, i.tags])).toEqual([
      ['WireHello', 'Hello', 'Eve', 'Body text', ['tag']],
      ['WireHello', 'Fish & Hello', 'Mallory', '', []],
      ['WireHello', 'Cleared screen', undefined, '', []],
    ]);
    // eslint-disable-next-line no-control-regex -- looking for control characters is the point
    expect(JSON.stringify(items)).not.toMatch(/\\u00[01][0-9a-f]|[\u0000-\u001f\u007f-\u009f\u202a-\u202e]/i);
  });

  test('JSON Feed text is cleaned too', () => {
    const json = JSON.stringify({
      version: 'https://jsonfeed.org/version/1.1',
      title: 'J\u2066son',
      items: [{ id: 'j', url: 'https://j.example/', title: ESCAPED, authors: [{ name: '\u009b2JAnn' }] }],
    });
    expect(parse(json)).toMatchObject([{ origin: 'Json', title: 'Hello', author: 'Ann' }]);
  });
});

const ATOM = `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://blog.example.org/base/">
  <title type="html">Dev &amp;lt;Blog&amp;gt;</title>
  <id>urn:uuid:feed</id>
  <updated>2025-06-10T10:00:00Z</updated>
  <author><name>Feed Author</name></author>
  <link rel="self" href="https://blog.example.org/feed.atom"/>
  <entry>
    <title type="text">Generics: 1 &lt; 2 &amp;amp; more</title>
    <id>urn:uuid:1</id>
    <link rel="edit" href="/api/edit/1"/>
    <link rel="alternate" type="application/json" href="posts/1.json"/>
    <link rel="alternate" type="text/html" href="posts/1"/>
    <updated>2025-06-10T09:00:00+02:00</updated>
    <published>2025-06-09T18:15:30.500Z</published>
    <summary type="html">&lt;p&gt;A &lt;b&gt;short&lt;/b&gt; summary&lt;/p&gt;</summary>
    <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>XHTML <a href="/x">body</a></p></div></content>
    <author><name>Ada</name></author>
    <category term="lang" label="Languages"/>
    <category term="types"/>
  </entry>
  <entry xml:base="/other/">
    <title>Second</title>
    <id>urn:uuid:2</id>
    <link href="p2"/>
    <updated>2025-06-10T12:00:00Z</updated>
    <summary>Plain &amp; simple &lt;not a tag&gt;</summary>
  </entry>
  <entry>
    <title>Bad date</title>
    <id>urn:uuid:3</id>
    <link href="https://elsewhere.example/3"/>
    <updated>yesterday-ish</updated>
  </entry>
</feed>`;

describe('Atom', () => {
  const items = parse(ATOM);

  test('titles, dates and order', () => {
    expect(items.map((i) => i.title)).toEqual(['Second', 'Generics: 1 < 2 &amp; more', 'Bad date']);
    // published wins over updated; updated is used when there is no published; offsets and fractions count.
    expect(items.map((i) => i.publishedAt)).toEqual([
      '2025-06-10T12:00:00.000Z',
      '2025-06-09T18:15:30.500Z',
      undefined,
    ]);
  });

  test('rel=alternate text/html is preferred, relative hrefs resolve through xml:base', () => {
    expect(items.map((i) => i.url)).toEqual([
      'https://blog.example.org/other/p2',
      'https://blog.example.org/base/posts/1',
      'https://elsewhere.example/3',
    ]);
  });

  test('summary and content by their declared types', () => {
    expect(items[1]).toMatchObject({ snippet: 'A short summary', body: 'XHTML body' });
    expect(items[0]).toMatchObject({ snippet: 'Plain & simple <not a tag>' });
    expect(items[0]?.body).toBeUndefined();
  });

  test('authors fall back to the feed author; categories prefer labels; origin is the html title as text', () => {
    expect(items.map((i) => i.author)).toEqual(['Feed Author', 'Ada', 'Feed Author']);
    expect(items[1]?.tags).toEqual(['Languages', 'types']);
    expect(items[1]?.origin).toBe('Dev <Blog>');
    expect(items[1]?.id).toBe(`rss:${stableHash(`${FEED_URL}urn:uuid:1`)}`);
  });

  test('relative href without any xml:base resolves against the feed URL (fixture builder)', () => {
    const xml = atomFeed({
      title: 'Built',
      entries: [{ id: 'e1', title: 'Entry', link: '../posts/e1', updated: '2025-06-10T05:00:00-04:00' }],
    });
    expect(parse(xml)).toMatchObject([
      { title: 'Entry', url: 'https://news.example.com/posts/e1', publishedAt: '2025-06-10T09:00:00.000Z' },
    ]);
  });
});

describe('RDF and JSON Feed', () => {
  test('RDF (RSS 1.0) with dc:date', () => {
    const xml = `<?xml version="1.0"?>
      <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
        <channel rdf:about="https://r.example/"><title>Rdf News</title><link>https://r.example/</link><description>d</description></channel>
        <item rdf:about="https://r.example/1"><title>RDF item</title><link>https://r.example/1</link>
          <description>Hello &amp;amp; welcome</description><dc:date>2025-06-10T03:04:05+01:00</dc:date><dc:creator>Bob</dc:creator></item>
      </rdf:RDF>`;
    expect(parse(xml)).toMatchObject([
      {
        title: 'RDF item',
        url: 'https://r.example/1',
        snippet: 'Hello & welcome',
        author: 'Bob',
        origin: 'Rdf News',
        publishedAt: '2025-06-10T02:04:05.000Z',
      },
    ]);
  });

  test('JSON Feed', () => {
    const json = JSON.stringify({
      version: 'https://jsonfeed.org/version/1.1',
      title: 'Json News',
      items: [
        {
          id: 'j1',
          url: 'https://j.example/1',
          title: 'JSON item',
          content_html: '<p>Body &amp; soul</p>',
          date_published: '2025-06-10T01:00:00Z',
          tags: ['a', 'b'],
        },
      ],
    });
    expect(parse(json)).toMatchObject([
      {
        title: 'JSON item',
        url: 'https://j.example/1',
        snippet: 'Body & soul',
        body: 'Body & soul',
        tags: ['a', 'b'],
        origin: 'Json News',
        publishedAt: '2025-06-10T01:00:00.000Z',
      },
    ]);
  });
});

describe('not a feed', () => {
  test('a valid feed without entries is empty, not an error', () => {
    expect(
      parse('<rss version="2.0"><channel><title>Quiet</title><link>https://q.example/</link></channel></rss>'),
    ).toEqual([]);
    expect(parse(atomFeed({ title: 'Quiet', entries: [] }))).toEqual([]);
  });

  test('empty or blank body', () => {
    expect(parseError('', { name: 'Quiet Feed' }).message).toBe('Quiet Feed: is empty');
    expect(parseError(' \n\t ').message).toBe('news.example.com/section/feed.xml: is empty');
  });

  test('an HTML page', () => {
    const error = parseError(htmlPage(), { name: 'Example' });
    expect(error.message).toBe('Example: is an HTML page, not a feed');
    expect(error.code).toBe('feed_html');
    // XHTML served as XML is still a page.
    const xhtml = '<?xml version="1.0"?>\n<html xmlns="http://www.w3.org/1999/xhtml"><body><p>hi</p></body></html>';
    expect(parseError(xhtml, { name: 'X' }).message).toBe('X: is an HTML page, not a feed');
  });

  test('text that is not XML', () => {
    expect(parseError('Service temporarily unavailable', { name: 'Down' }).message).toBe(
      'Down: is not valid XML (it does not start with a tag)',
    );
  });

  test('cut-off and broken XML', () => {
    expect(parseError(malformedFeed(), { name: 'Broken' }).message).toBe(
      'Broken: is not valid XML (it ends without a closing </rss> tag)',
    );
    const broken = '<rss version="2.0"><channel><title>a < b</title></channel></rss>';
    const error = parseError(broken, { name: 'Broken' });
    expect(error.code).toBe('feed_not_xml');
    expect(error.message).toMatch(/^Broken: is not valid XML \(.+\)$/);
    expect(parseError('<?xml version="1.0"?><!DOCTYPE rss [ <!ENTITY a "x">', { name: 'B' }).message).toBe(
      'B: is not valid XML (unterminated DOCTYPE)',
    );
  });

  test('XML or JSON that is not a feed', () => {
    expect(parseError('<?xml version="1.0"?><note><to>you</to></note>', { name: 'N' }).message).toBe(
      'N: is XML but not an RSS, Atom or RDF feed (root element <note>)',
    );
    expect(parseError('{"hello": "world"}', { name: 'J' }).message).toBe('J: is JSON but not a JSON Feed');
  });
});

describe('entities and DTDs', () => {
  test('a billion-laughs feed parses without expanding anything', () => {
    const started = performance.now();
    const items = parse(billionLaughsFeed(), { name: 'Bomb' });
    const elapsed = performance.now() - started;
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ title: 'Boom &lol9;', snippet: '&lol9;', url: 'https://bomb.example/1' });
    expect(JSON.stringify(items)).not.toContain('lollol');
    // Generous: expansion would take minutes and gigabytes; this only guards against a silent regression.
    expect(elapsed).toBeLessThan(5000);
  });

  test('an external entity is never resolved', () => {
    const items = parse(externalEntityFeed('/etc/passwd'));
    expect(items).toMatchObject([{ title: 'Leak &xxe;', snippet: 'before &xxe; after' }]);
    expect(JSON.stringify(items)).not.toMatch(/root:|nologin|\/bin\//);
  });

  test('a DOCTYPE with quoted ">" and "]" in its subset is stripped whole', () => {
    const xml = `<?xml version="1.0"?>
      <!DOCTYPE rss PUBLIC "-//Netscape//DTD RSS 0.91//EN" "http://my.netscape.com/publish/formats/rss-0.91.dtd" [
        <!ENTITY tricky "a > b ] c">
        <!-- a comment with > and ] inside -->
      ]>
      <rss version="0.91"><channel><title>Old</title><link>https://old.example/</link><description>d</description>
        <item><title>Old item &tricky; &amp; &copy;</title><link>https://old.example/1</link></item></channel></rss>`;
    expect(parse(xml).map((i) => i.title)).toEqual(['Old item &tricky; & ©']);
  });
});

describe('parseFeedDate', () => {
  test.each([
    ['Tue, 10 Jun 2025 04:00:00 GMT', '2025-06-10T04:00:00.000Z'],
    ['Tue, 10 Jun 2025 04:00:00 +0200', '2025-06-10T02:00:00.000Z'],
    ['Tue, 10 Jun 2025 04:00:00 -0530', '2025-06-10T09:30:00.000Z'],
    ['10 Jun 2025 04:00 EDT', '2025-06-10T08:00:00.000Z'],
    ['Tue, 10 Jun 25 04:00:00 PST', '2025-06-10T12:00:00.000Z'],
    ['Tuesday, 10-Jun-2025 04:00:00 UT', '2025-06-10T04:00:00.000Z'],
    ['Tue, 10 June 2025 04:00:00 +0000 (UTC)', '2025-06-10T04:00:00.000Z'],
    ['Tue, 10 Jun 2025 04:00:00 CEST', '2025-06-10T02:00:00.000Z'],
    ['2025-06-10T09:00:00+02:00', '2025-06-10T07:00:00.000Z'],
    ['2025-06-10T09:00:00.123Z', '2025-06-10T09:00:00.123Z'],
    ['2025-06-10 09:00:00', '2025-06-10T09:00:00.000Z'],
    ['2025-06-10', '2025-06-10T00:00:00.000Z'],
    ['2024-02-29T12:00:00Z', '2024-02-29T12:00:00.000Z'],
  ])('%s', (raw, iso) => {
    expect(parseFeedDate(raw)).toBe(iso);
  });

  test.each([
    undefined,
    '',
    'garbage 2',
    '0',
    'yesterday',
    'Sat, 31 Feb 2025 10:00:00 GMT',
    '2025-02-29T00:00:00Z',
    'Tue, 10 Jun 2025 25:61:00 GMT',
    'Tue, 10 Foo 2025 04:00:00 GMT',
    '2025-13-01T00:00:00Z',
    '2025-06-10T09:00:00+25:00',
  ])('%s is not a date', (raw) => {
    expect(parseFeedDate(raw)).toBeUndefined();
  });
});

test('feedLabel names a feed by its configured name, else host and path', () => {
  expect(feedLabel({ url: 'https://a.example/rss', name: 'A News' })).toBe('A News');
  expect(feedLabel({ url: 'https://a.example/rss' })).toBe('a.example/rss');
  expect(feedLabel({ url: 'https://a.example/' })).toBe('a.example');
});
