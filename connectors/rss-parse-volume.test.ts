import { expect, test, vi } from 'vitest';
import { rssFeed } from '../test/fakes/feed-server.ts';
import { htmlToPlainText } from './html-text.ts';
import { ENTRIES_MAX, parseFeedDocument } from './rss-parse.ts';

// Counting conversions is what shows the work is done after the cut; a timing bound alone would be flaky or loose.
vi.mock('./html-text.ts', async (importOriginal) => {
  const actual = await importOriginal<typeof import('./html-text.ts')>();
  return { ...actual, htmlToPlainText: vi.fn(actual.htmlToPlainText) };
});

const ENTRIES = 20_000;
const MAX_ITEMS = 20;

test(`a ${ENTRIES}-entry feed gives its newest entries and converts only those`, () => {
  const newest = Date.parse('2025-06-10T06:00:00Z');
  const hoursBack = (i: number): number => {
    // Past the cap: older, except the very last entry, which would be the newest of all if it were read.
    if (i >= ENTRIES_MAX) return i === ENTRIES - 1 ? 0 : 10_000 + i;
    // Within the cap, a scramble: 7919 is coprime with 2000, so every hour from 10 on occurs exactly once.
    return 10 + ((i * 7919) % ENTRIES_MAX);
  };
  const xml = rssFeed({
    title: 'Firehose',
    items: Array.from({ length: ENTRIES }, (_, i) => ({
      title: `${hoursBack(i)}h ago`,
      link: `https://fire.example/${i}`,
      guid: `fire-${i}`,
      description: `<p>Summary <b>${i}</b></p>`,
      content: `<p>Body ${i}</p>`,
      // A few undated entries in the considered range, which must sort after every dated one.
      ...(i % 500 === 1 ? {} : { pubDate: new Date(newest - hoursBack(i) * 3_600_000).toUTCString() }),
    })),
  });
  vi.mocked(htmlToPlainText).mockClear();

  const started = performance.now();
  const items = parseFeedDocument(xml, { feedUrl: 'https://fire.example/feed', maxItems: MAX_ITEMS, snippetMax: 200 });
  const elapsed = performance.now() - started;

  const expected = Array.from({ length: ENTRIES_MAX }, (_, i) => i)
    .filter((i) => i % 500 !== 1)
    .map(hoursBack)
    .sort((a, b) => a - b)
    .slice(0, MAX_ITEMS);
  expect(expected[0]).toBe(10);
  expect(items.map((i) => i.title)).toEqual(expected.map((h) => `${h}h ago`));
  expect(items[0]?.publishedAt).toBe(new Date(newest - 10 * 3_600_000).toISOString());
  // The newest is entry 0 (7919 * 0 % 2000 = 0); its HTML is converted like any kept entry's.
  expect(items[0]).toMatchObject({ url: 'https://fire.example/0', snippet: 'Summary 0', body: 'Body 0' });
  // Summary and body for each kept item; converting every entry would be 40,000 calls.
  expect(vi.mocked(htmlToPlainText).mock.calls.length).toBeLessThanOrEqual(2 * MAX_ITEMS);
  // Only a sanity bound: parsing the XML itself takes a good part of a second on a slow machine.
  expect(elapsed).toBeLessThan(10_000);
});

test('with room for everything, undated entries come last in document order', () => {
  const xml = rssFeed({
    title: 'Mixed',
    items: Array.from({ length: 3000 }, (_, i) => ({
      title: `Entry ${i}`,
      link: `https://mixed.example/${i}`,
      ...(i % 2 === 0 && { pubDate: new Date(Date.UTC(2025, 5, 10) - i * 60_000).toUTCString() }),
    })),
  });
  const titles = parseFeedDocument(xml, { feedUrl: 'https://mixed.example/feed', maxItems: 5000, snippetMax: 200 }).map(
    (i) => i.title,
  );
  expect(titles).toHaveLength(ENTRIES_MAX);
  expect(titles.slice(0, 3)).toEqual(['Entry 0', 'Entry 2', 'Entry 4']);
  expect(titles.slice(ENTRIES_MAX / 2 - 1, ENTRIES_MAX / 2 + 2)).toEqual(['Entry 1998', 'Entry 1', 'Entry 3']);
  expect(titles.at(-1)).toBe('Entry 1999');
});
