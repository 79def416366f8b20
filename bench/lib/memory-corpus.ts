/**
 * bench:memory's seeded corpus: emails from many senders about many projects, calendar events, market, tech and
 * world stories from a dozen feeds and Hacker News, spread over the days up to `now`; and the filtered queries a
 * user or the reasoner would ask of them.
 */
import type { MemoryKind } from '../../agents/memory/types.ts';
import type { Item } from '../../core/types.ts';
import { createRandom } from './random.ts';
import { CITIES, COMPANIES, FEEDS, FIRST, LAST, PROJECTS, ROOMS, createWords, type EmailKind } from './words.ts';

const DAY_MS = 86_400_000;

export interface BenchQuery {
  text: string;
  filter: { kinds: MemoryKind[]; since: number; until: number };
}

export interface CorpusOptions {
  seed: number;
  /** How many items, and how many queries. */
  items: number;
  queries: number;
  /** Epoch ms the corpus ends at (plus a week of coming meetings). */
  now: number;
  spanDays: number;
}

/** The same options give the same items and the same queries. */
export function memoryCorpus(options: CorpusOptions): { items: Item[]; queries: BenchQuery[] } {
  const { seed, now: NOW, spanDays: SPAN_DAYS } = options;
  const rng = createRandom(seed);
  const { random, between, pick, hex, slug, prose } = rng;
  const words = createWords(rng);
  const at = (ms: number): string => new Date(ms).toISOString();
  /** Somewhere in the span up to now, at minute resolution. */
  const past = (): number => NOW - between(5, SPAN_DAYS * 1440) * 60_000;

  function email(n: number): Item {
    const roll = random();
    const kind: EmailKind = roll < 0.15 ? 'important' : roll < 0.55 ? 'work' : roll < 0.75 ? 'updates' : 'promo';
    const sender = kind === 'work' || kind === 'important' ? words.person() : words.service();
    const subject = words.emailSubject(kind);
    const body = prose(words.emailSentences(kind), 250, 1200);
    const labels = ['INBOX', ...(kind === 'important' ? ['IMPORTANT'] : [])];
    if (kind === 'updates') labels.push('CATEGORY_UPDATES');
    if (kind === 'promo') labels.push('CATEGORY_PROMOTIONS');
    return {
      id: `gmail:${hex(10)}-${n}`,
      kind: 'email',
      source: 'gmail',
      origin: 'Inbox',
      title: subject,
      snippet: body.slice(0, 200),
      body,
      author: sender.name,
      publishedAt: at(past()),
      tags: labels,
      meta: { from: sender.address, domain: sender.address.split('@')[1] ?? '', labels },
    };
  }

  function event(n: number): Item {
    // Mostly past meetings, some in the coming week: the same span.
    const day = Math.floor((NOW - (SPAN_DAYS - 7) * DAY_MS) / DAY_MS) + between(0, SPAN_DAYS - 1);
    const start = day * DAY_MS + between(7, 17) * 3_600_000 + pick([0, 15, 30, 45]) * 60_000;
    const minutes = pick([15, 30, 30, 45, 60, 60, 90]);
    const location = pick(ROOMS);
    const attendees = between(1, 12);
    const title = words.eventTitle();
    return {
      id: `calendar:${hex(12)}-${n}`,
      kind: 'event',
      source: 'calendar',
      origin: 'Calendar',
      title,
      snippet: `${location} · ${attendees} attendee${attendees === 1 ? '' : 's'}`,
      body: prose(words.sentences.work, 100, 500),
      start: at(start),
      end: at(start + minutes * 60_000),
      tags: [],
      meta: { location, attendees, allDay: false },
    };
  }

  function story(n: number): Item {
    const category = pick(['market', 'market', 'tech', 'tech', 'world'] as const);
    const title =
      category === 'market' ? words.marketTitle() : category === 'tech' ? words.techTitle() : words.worldTitle();
    if (category === 'tech' && random() < 0.35) {
      const host = pick(['github.com', 'lwn.net', 'blog.example.dev', 'arxiv.org']);
      return {
        id: `hackernews:${40_000_000 + n}`,
        kind: 'news',
        source: 'hackernews',
        origin: 'Hacker News',
        title,
        snippet: host,
        url: `https://${host}/${slug(title)}-${hex(6)}`,
        author: `${slug(pick(FIRST))}${between(1, 99)}`,
        publishedAt: at(past()),
        category,
        tags: [],
        meta: { score: between(5, 900), comments: between(0, 400) },
      };
    }
    const origin = pick(FEEDS[category]);
    return {
      id: `rss:${hex(10)}-${n}`,
      kind: 'news',
      source: 'rss',
      origin,
      title,
      snippet: prose(words.sentences.news[category], 200, 900),
      url: `https://${slug(origin)}.com/${slug(title)}-${hex(6)}`,
      publishedAt: at(past()),
      category,
      tags: [],
    };
  }

  /** What a user or the reasoner asks: names, projects, topics; always within some kinds and a date window. */
  function queries(count: number): BenchQuery[] {
    const texts: (() => { text: string; kinds: MemoryKind[] })[] = [
      () => ({ text: `${pick(FIRST)} ${pick(LAST)}`, kinds: ['email'] }),
      () => ({
        text: `${pick(PROJECTS).replace(/^the /, '')} ${pick(['figures', 'deadline', 'sign-off'])}`,
        kinds: ['email'],
      }),
      () => ({ text: `${pick(COMPANIES)} discount three-year term`, kinds: ['email', 'event'] }),
      () => ({
        text: `${pick(['planning', 'review', 'workshop'])} ${pick(PROJECTS).replace(/^the /, '')}`,
        kinds: ['event'],
      }),
      () => ({
        text: pick(['central bank rates inflation', 'chip stocks rally', 'oil price barrel']),
        kinds: ['news'],
      }),
      () => ({ text: `${pick(COMPANIES)} shares earnings guidance`, kinds: ['news'] }),
      () => ({
        text: pick(['ransomware vulnerability patched', 'Rust release faster builds', 'EU probe app store']),
        kinds: ['news'],
      }),
      () => ({ text: `${pick(['storms', 'rail strike', 'election'])} ${pick(CITIES)}`, kinds: ['news', 'email'] }),
    ];
    return Array.from({ length: count }, () => {
      const { text, kinds } = pick(texts)();
      const days = pick([7, 14, 30, 60, 90]);
      const until = NOW + 7 * DAY_MS - between(0, SPAN_DAYS - days) * DAY_MS;
      return { text, filter: { kinds, since: until - days * DAY_MS, until } };
    });
  }

  const items = Array.from({ length: options.items }, (_, n) => {
    const roll = random();
    return roll < 0.45 ? email(n) : roll < 0.6 ? event(n) : story(n);
  });
  return { items, queries: queries(options.queries) };
}
