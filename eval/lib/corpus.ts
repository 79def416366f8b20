/**
 * A reproducible month of candidate items for the ranking evaluation: news from feeds with topic mixes,
 * email from colleagues, services and newsletters, and meetings. Each item carries the hidden facts a
 * simulated user judges it by (topic, feed, sender), which the ranker never sees directly: it sees only
 * what a real item has (title, text, origin, author, url, category, tags).
 */
import type { Item } from '../../core/types.ts';
import { createRandom, type Random } from '../../bench/lib/random.ts';

export interface Topic {
  name: string;
  category: 'tech' | 'market' | 'news';
  words: readonly string[];
}

export const TOPICS: readonly Topic[] = [
  {
    name: 'rust',
    category: 'tech',
    words: ['Rust', 'cargo', 'crate', 'borrow checker', 'async runtime', 'compiler', 'tokio'],
  },
  {
    name: 'ai',
    category: 'tech',
    words: ['AI', 'language model', 'GPU', 'inference', 'training run', 'benchmark', 'agents'],
  },
  {
    name: 'privacy',
    category: 'tech',
    words: ['privacy', 'encryption', 'tracking', 'GDPR', 'surveillance', 'data breach', 'cookies'],
  },
  { name: 'space', category: 'tech', words: ['rocket', 'orbit', 'NASA', 'telescope', 'launch', 'Mars', 'satellite'] },
  {
    name: 'startups',
    category: 'tech',
    words: ['startup', 'funding round', 'seed', 'founders', 'acquisition', 'valuation', 'layoffs'],
  },
  {
    name: 'crypto',
    category: 'market',
    words: ['bitcoin', 'crypto', 'token', 'blockchain', 'exchange', 'stablecoin', 'NFT'],
  },
  {
    name: 'rates',
    category: 'market',
    words: ['interest rates', 'central bank', 'inflation', 'bond yields', 'Fed', 'ECB', 'mortgage'],
  },
  { name: 'stocks', category: 'market', words: ['stocks', 'earnings', 'shares', 'index', 'Nasdaq', 'dividend', 'IPO'] },
  {
    name: 'climate',
    category: 'news',
    words: ['climate', 'emissions', 'heatwave', 'renewables', 'carbon', 'flooding', 'solar'],
  },
  {
    name: 'football',
    category: 'news',
    words: ['football', 'league', 'transfer', 'goal', 'striker', 'cup final', 'coach'],
  },
  {
    name: 'elections',
    category: 'news',
    words: ['election', 'polls', 'parliament', 'campaign', 'coalition', 'ballot', 'minister'],
  },
  {
    name: 'gardening',
    category: 'news',
    words: ['garden', 'tomatoes', 'compost', 'seedlings', 'pruning', 'roses', 'allotment'],
  },
];

export interface Feed {
  name: string;
  source: 'rss' | 'hackernews';
  domain: string;
  /** Topic names with their share of the feed's stories. */
  topics: Record<string, number>;
}

export const FEEDS: readonly Feed[] = [
  {
    name: 'Hacker News',
    source: 'hackernews',
    domain: 'news.ycombinator.com',
    topics: { rust: 2, ai: 3, privacy: 2, startups: 2, space: 1, crypto: 1 },
  },
  { name: 'This Week in Rust', source: 'rss', domain: 'this-week-in-rust.org', topics: { rust: 5, ai: 1 } },
  {
    name: 'Ars Technica',
    source: 'rss',
    domain: 'arstechnica.com',
    topics: { ai: 2, space: 3, privacy: 2, climate: 1 },
  },
  { name: 'TechCrunch', source: 'rss', domain: 'techcrunch.com', topics: { startups: 4, ai: 3, crypto: 2 } },
  { name: 'CoinDesk', source: 'rss', domain: 'coindesk.com', topics: { crypto: 5, stocks: 1 } },
  { name: 'Markets Daily', source: 'rss', domain: 'marketsdaily.example', topics: { stocks: 3, rates: 3, crypto: 1 } },
  { name: 'Climate Desk', source: 'rss', domain: 'climatedesk.example', topics: { climate: 5, elections: 1 } },
  { name: 'Sport Central', source: 'rss', domain: 'sportcentral.example', topics: { football: 5 } },
  {
    name: 'Politics Now',
    source: 'rss',
    domain: 'politicsnow.example',
    topics: { elections: 4, climate: 1, rates: 1 },
  },
  { name: 'Garden Notes', source: 'rss', domain: 'gardennotes.example', topics: { gardening: 5, climate: 1 } },
];

export interface Sender {
  address: string;
  name: string;
  role: 'colleague' | 'manager' | 'service' | 'newsletter' | 'promotions';
  topics: readonly string[];
}

export const SENDERS: readonly Sender[] = [
  { address: 'dana@acme.example', name: 'Dana Ruiz', role: 'manager', topics: ['startups', 'ai'] },
  { address: 'li@acme.example', name: 'Li Wei', role: 'colleague', topics: ['rust', 'ai'] },
  { address: 'sam@acme.example', name: 'Sam Okafor', role: 'colleague', topics: ['privacy', 'rust'] },
  { address: 'noreply@github.example', name: 'GitHub', role: 'service', topics: ['rust', 'privacy'] },
  { address: 'alerts@bank.example', name: 'Bank Alerts', role: 'service', topics: ['rates', 'stocks'] },
  {
    address: 'digest@substack.example',
    name: 'Weekly Digest',
    role: 'newsletter',
    topics: ['ai', 'startups', 'crypto'],
  },
  { address: 'news@cryptobrief.example', name: 'Crypto Brief', role: 'newsletter', topics: ['crypto'] },
  { address: 'hello@gardenclub.example', name: 'Garden Club', role: 'newsletter', topics: ['gardening'] },
  { address: 'deals@shop.example', name: 'Shop Deals', role: 'promotions', topics: ['stocks', 'football'] },
  { address: 'team@fantasyleague.example', name: 'Fantasy League', role: 'promotions', topics: ['football'] },
];

const VERBS = ['hits', 'faces', 'gets', 'drives', 'slows', 'boosts', 'tests', 'reshapes', 'splits', 'returns to'];
const NOUNS = ['record', 'setback', 'surprise', 'debate', 'deal', 'milestone', 'rethink', 'warning', 'update', 'plan'];
const FILLER = ['week', 'report', 'analysis', 'people', 'year', 'market', 'team', 'report', 'future', 'change'];

export interface CorpusItem {
  item: Item;
  topic: string;
  feed?: string;
  sender?: string;
  day: number;
  /** A meeting today or a stated deadline: every simulated user needs it near the top. */
  timeBound: boolean;
}

export interface CorpusOptions {
  days: number;
  newsPerDay: number;
  emailsPerDay: number;
  eventsPerDay: number;
  seed: number;
  /** 07:00 local on day 0, as epoch ms. */
  start: number;
}

export const DEFAULT_CORPUS: CorpusOptions = {
  days: 30,
  newsPerDay: 22,
  emailsPerDay: 7,
  eventsPerDay: 2,
  seed: 20261201,
  start: Date.parse('2026-11-02T07:00:00Z'),
};

export function generateCorpus(options: CorpusOptions = DEFAULT_CORPUS): CorpusItem[][] {
  const rnd = createRandom(options.seed);
  const days: CorpusItem[][] = [];
  for (let day = 0; day < options.days; day++) {
    const at = options.start + day * 86_400_000;
    const items: CorpusItem[] = [];
    for (let i = 0; i < options.newsPerDay; i++) items.push(newsItem(rnd, day, i, at));
    for (let i = 0; i < options.emailsPerDay; i++) items.push(emailItem(rnd, day, i, at));
    for (let i = 0; i < options.eventsPerDay; i++) items.push(eventItem(rnd, day, i, at));
    days.push(items);
  }
  return days;
}

function topicByName(name: string): Topic {
  const topic = TOPICS.find((t) => t.name === name);
  if (!topic) throw new Error(`unknown topic ${name}`);
  return topic;
}

function weighted(rnd: Random, weights: Record<string, number>): string {
  const entries = Object.entries(weights);
  let roll = rnd.random() * entries.reduce((sum, [, w]) => sum + w, 0);
  for (const [name, weight] of entries) {
    roll -= weight;
    if (roll <= 0) return name;
  }
  return entries[0]?.[0] ?? '';
}

function headline(rnd: Random, topic: Topic): string {
  const a = rnd.pick(topic.words);
  let b = rnd.pick(topic.words);
  if (b === a) b = rnd.pick(FILLER);
  return `${cap(a)} ${rnd.pick(VERBS)} ${rnd.pick(NOUNS)} as ${b} ${rnd.pick(FILLER)} ${rnd.pick(['grows', 'stalls', 'shifts', 'looms'])}`;
}

function sentence(rnd: Random, topic: Topic): string {
  return `The ${rnd.pick(FILLER)} around ${rnd.pick(topic.words)} and ${rnd.pick(topic.words)} ${rnd.pick(VERBS)} a ${rnd.pick(NOUNS)}, ${rnd.pick(['analysts say', 'sources said', 'the post argues', 'readers noticed'])}.`;
}

function newsItem(rnd: Random, day: number, index: number, at: number): CorpusItem {
  const feed = rnd.pick(FEEDS);
  const topic = topicByName(weighted(rnd, feed.topics));
  const title = headline(rnd, topic);
  const id = `${feed.source}:d${String(day)}n${String(index)}`;
  const item: Item = {
    id,
    kind: 'news',
    source: feed.source,
    origin: feed.name,
    title,
    snippet: `${sentence(rnd, topic)} ${sentence(rnd, topic)}`,
    url: `https://${feed.domain}/${String(day)}/${String(index)}`,
    publishedAt: new Date(at - rnd.between(1, 20) * 3_600_000).toISOString(),
    category: feed.source === 'hackernews' ? 'tech' : topic.category,
    tags: [],
    ...(feed.source === 'hackernews' ? { meta: { score: rnd.between(20, 600) } } : {}),
  };
  return { item, topic: topic.name, feed: feed.name, day, timeBound: false };
}

function emailItem(rnd: Random, day: number, index: number, at: number): CorpusItem {
  const sender = rnd.pick(SENDERS);
  const topic = topicByName(rnd.pick(sender.topics));
  const deadline = (sender.role === 'manager' || sender.role === 'colleague') && rnd.random() < 0.25;
  const subject = deadline
    ? `${cap(rnd.pick(topic.words))} review due tomorrow`
    : sender.role === 'promotions'
      ? `${rnd.pick(['Last days', 'Save 30%', 'Your picks', 'Members only'])}: ${rnd.pick(topic.words)} offers`
      : headline(rnd, topic);
  const tags =
    sender.role === 'promotions'
      ? ['CATEGORY_PROMOTIONS']
      : sender.role === 'manager' || deadline
        ? ['IMPORTANT']
        : sender.role === 'newsletter'
          ? ['CATEGORY_UPDATES']
          : [];
  const item: Item = {
    id: `gmail:d${String(day)}e${String(index)}`,
    kind: 'email',
    source: 'gmail',
    title: subject,
    snippet: sentence(rnd, topic),
    author: `${sender.name} <${sender.address}>`,
    publishedAt: new Date(at - rnd.between(1, 14) * 3_600_000).toISOString(),
    tags,
  };
  return { item, topic: topic.name, sender: sender.address, day, timeBound: deadline };
}

function eventItem(rnd: Random, day: number, index: number, at: number): CorpusItem {
  const sender = rnd.pick(SENDERS.filter((s) => s.role === 'manager' || s.role === 'colleague'));
  const topic = topicByName(rnd.pick(sender.topics));
  const start = at + rnd.between(2, 9) * 3_600_000;
  const item: Item = {
    id: `calendar:d${String(day)}m${String(index)}`,
    kind: 'event',
    source: 'calendar',
    title: `${cap(rnd.pick(topic.words))} ${rnd.pick(['sync', 'review', 'planning', '1:1'])}`,
    snippet: `With ${sender.name}.`,
    author: `${sender.name} <${sender.address}>`,
    start: new Date(start).toISOString(),
    end: new Date(start + 1_800_000).toISOString(),
    tags: [],
  };
  return { item, topic: topic.name, sender: sender.address, day, timeBound: true };
}

function cap(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
