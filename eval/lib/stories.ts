/**
 * Reworded news for eval:brief: each story (who, what, a figure, where) is told by one to four feeds in
 * different words, next to other stories of the same kind with other names and figures, which must stay
 * apart. The story each report belongs to is the known answer.
 */
import type { Item } from '../../core/types.ts';
import type { Random } from '../../bench/lib/random.ts';

export const COMPANIES = [
  'Northwind',
  'Contoso',
  'Fabrikam',
  'Globex',
  'Initech',
  'Umbrella',
  'Hooli',
  'Vandelay',
  'Stark Industries',
  'Wayne Enterprises',
  'Tyrell',
  'Cyberdyne',
  'Soylent',
  'Wonka',
  'Acme',
  'Gringotts',
  'Monarch',
  'Oscorp',
] as const;
const PLACES = ['Chile', 'Peru', 'Japan', 'Iceland', 'Portugal', 'Kenya', 'Ontario', 'Bavaria', 'Oregon', 'Sicily'];
const PEOPLE = ['Ana Costa', 'Miguel Soto', 'Lena Berg', 'Omar Haddad', 'Yuki Sato', 'Ruth Adeyemi', 'Pavel Novak'];
const PRODUCTS = ['Falcon', 'Atlas', 'Nimbus', 'Orion', 'Pioneer', 'Zephyr', 'Quasar', 'Helix'];
const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday'];

export const FEEDS = [
  { source: 'rss', name: 'World Wire', domain: 'worldwire.example' },
  { source: 'rss', name: 'Daily Ledger', domain: 'ledger.example' },
  { source: 'rss', name: 'Tech Current', domain: 'techcurrent.example' },
  { source: 'rss', name: 'Market Watchers', domain: 'marketwatchers.example' },
  { source: 'rss', name: 'The Observer Post', domain: 'observerpost.example' },
  { source: 'hackernews', name: 'Hacker News', domain: 'news.ycombinator.com' },
] as const;

interface Facts {
  a: string;
  b: string;
  n: number;
  place: string;
  person: string;
  product: string;
  day: string;
}

interface Kind {
  category: 'tech' | 'market' | 'news';
  titles: ((f: Facts) => string)[];
  leads: ((f: Facts) => string)[];
}

const KINDS: Kind[] = [
  {
    category: 'market',
    titles: [
      (f) => `${f.a} to buy ${f.b} for $${f.n}bn`,
      (f) => `${f.a} agrees $${f.n}bn deal to acquire ${f.b}`,
      (f) => `${f.b} acquired by ${f.a} in $${f.n} billion deal`,
      (f) => `${f.a}'s $${f.n}bn takeover of ${f.b} confirmed`,
    ],
    leads: [
      (f) => `${f.a} said on ${f.day} it would acquire ${f.b} for ${f.n} billion dollars in cash.`,
      (f) => `The ${f.n} billion dollar purchase of ${f.b} by ${f.a} was announced on ${f.day}.`,
      (f) => `Shareholders of ${f.b} will receive cash after ${f.a} agreed to pay ${f.n} billion dollars.`,
    ],
  },
  {
    category: 'news',
    titles: [
      (f) => `Magnitude ${f.n / 10} earthquake strikes ${f.place}`,
      (f) => `${f.place} shaken by ${f.n / 10}-magnitude quake`,
      (f) => `Strong earthquake of magnitude ${f.n / 10} hits ${f.place}`,
    ],
    leads: [
      (f) => `A magnitude ${f.n / 10} earthquake struck ${f.place} on ${f.day}, officials said.`,
      (f) => `Buildings shook across ${f.place} when the ${f.n / 10} quake hit on ${f.day}.`,
      (f) => `Seismologists measured the ${f.place} earthquake at magnitude ${f.n / 10}.`,
    ],
  },
  {
    category: 'tech',
    titles: [
      (f) => `${f.a} cuts ${f.n * 10} jobs`,
      (f) => `${f.a} to lay off ${f.n * 10} workers`,
      (f) => `${f.n * 10} jobs to go at ${f.a}`,
      (f) => `Layoffs at ${f.a}: ${f.n * 10} roles eliminated`,
    ],
    leads: [
      (f) => `${f.a} will cut ${f.n * 10} jobs, chief executive ${f.person} told staff on ${f.day}.`,
      (f) => `In a memo on ${f.day}, ${f.person} said ${f.a} would eliminate ${f.n * 10} positions.`,
      (f) => `About ${f.n * 10} employees of ${f.a} will lose their jobs, ${f.person} announced.`,
    ],
  },
  {
    category: 'tech',
    titles: [
      (f) => `${f.a} launches ${f.product} ${f.n} chip`,
      (f) => `${f.a} unveils the ${f.product} ${f.n} processor`,
      (f) => `Hands on with ${f.a}'s new ${f.product} ${f.n}`,
      (f) => `${f.product} ${f.n}: ${f.a} shows its next chip`,
    ],
    leads: [
      (f) => `${f.a} introduced the ${f.product} ${f.n} on ${f.day}, its fastest chip yet.`,
      (f) => `The ${f.product} ${f.n} processor from ${f.a} ships next month.`,
      (f) => `On ${f.day}, ${f.person} presented the ${f.product} ${f.n} for ${f.a}.`,
    ],
  },
  {
    category: 'news',
    titles: [
      (f) => `${f.person} wins ${f.place} election with ${f.n}% of the vote`,
      (f) => `${f.place} election: ${f.person} victorious on ${f.n}%`,
      (f) => `${f.person} elected in ${f.place} after taking ${f.n}%`,
    ],
    leads: [
      (f) => `${f.person} won the ${f.place} election on ${f.day} with ${f.n} percent of the vote.`,
      (f) => `Voters in ${f.place} chose ${f.person}, who took ${f.n} percent.`,
      (f) => `With ${f.n} percent, ${f.person} will lead ${f.place} after ${f.day}'s vote.`,
    ],
  },
  {
    category: 'market',
    titles: [
      (f) => `${f.a} shares jump ${f.n}% after earnings beat`,
      (f) => `${f.a} stock soars ${f.n}% on strong results`,
      (f) => `Earnings: ${f.a} up ${f.n}% as profit beats forecasts`,
    ],
    leads: [
      (f) => `Shares of ${f.a} rose ${f.n} percent on ${f.day} after quarterly profit beat estimates.`,
      (f) => `${f.a} gained ${f.n} percent after reporting results ahead of forecasts.`,
      (f) => `Investors sent ${f.a} up ${f.n} percent on ${f.day} following its earnings.`,
    ],
  },
];

export interface StoryReport {
  item: Item;
  story: string;
  /** The names and figures the story is about, for writing lines about it. */
  facts: { names: string[]; figures: string[] };
}

/** One day's news: `stories` stories, each told by 1–4 feeds, ids unique per day. */
export function storyDay(rnd: Random, day: number, stories: number, at: number): StoryReport[] {
  const out: StoryReport[] = [];
  for (let s = 0; s < stories; s++) {
    const kind = rnd.pick(KINDS);
    const a = rnd.pick(COMPANIES);
    let b = rnd.pick(COMPANIES);
    while (b === a) b = rnd.pick(COMPANIES);
    const facts: Facts = {
      a,
      b,
      n: rnd.between(12, 89),
      place: rnd.pick(PLACES),
      person: rnd.pick(PEOPLE),
      product: rnd.pick(PRODUCTS),
      day: rnd.pick(DAYS),
    };
    const reports = rnd.random() < 0.4 ? 1 : rnd.between(2, 4);
    const feeds = shuffle(rnd, [...FEEDS]).slice(0, reports);
    const titles = shuffle(rnd, [...kind.titles]);
    feeds.forEach((feed, r) => {
      const id = `${feed.source}:d${String(day)}s${String(s)}r${String(r)}`;
      const hn = feed.source === 'hackernews';
      const title = (titles[r % titles.length] ?? kind.titles[0] ?? (() => ''))(facts);
      const item: Item = {
        id,
        kind: 'news',
        source: feed.source,
        origin: feed.name,
        title,
        // Hacker News has no text for a link, only its domain.
        snippet: hn ? feed.domain : rnd.pick(kind.leads)(facts),
        url: `https://${feed.domain}/${String(day)}/${String(s)}-${String(r)}`,
        publishedAt: new Date(at - rnd.between(1, 12) * 3_600_000).toISOString(),
        category: hn ? 'tech' : kind.category,
        tags: [],
        ...(hn ? { meta: { score: rnd.between(40, 400), comments: rnd.between(5, 80) } } : {}),
      };
      const text = `${item.title} ${item.snippet}`;
      const names = [facts.a, facts.b, facts.place, facts.person, facts.product].filter((n) => text.includes(n));
      const numbers: string[] = text.match(/\d+(?:\.\d+)?/g) ?? [];
      const figures = [facts.n, facts.n / 10, facts.n * 10].map(String).filter((n) => numbers.includes(n));
      out.push({ item, story: `d${String(day)}s${String(s)}`, facts: { names, figures } });
    });
  }
  return out;
}

function shuffle<T>(rnd: Random, list: T[]): T[] {
  for (let i = list.length - 1; i > 0; i--) {
    const j = Math.floor(rnd.random() * (i + 1));
    [list[i], list[j]] = [list[j] as T, list[i] as T];
  }
  return list;
}
