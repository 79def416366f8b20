/**
 * bench:memory — can the RAG memory hold months of mail, events and news, search them fast, and skip what it has?
 *
 * A seeded generator makes 20,000 items ($BENCH_ITEMS) spread over 120 days: emails from many senders about many
 * projects, calendar events, market, tech and world stories from a dozen feeds and Hacker News. On each back end
 * (sqlite-vec in the app's database, then a Chroma server: $CHROMA_BENCH_URL, else the bundled `chroma run`) the
 * items are stored (Store.upsertItems) and ingested through the real Memory class with a deterministic 768-dimension
 * hash embedder, in chunks of 1,000 as refreshes would. Then it times 200 filtered queries (kinds and a date
 * window) twice: hybrid search through Memory.search (embed the query, semantic + keyword, fused), and the raw
 * VectorStore.query with the same filters and pre-made vectors. Last, the same items are ingested again, unchanged:
 * the embedder should not be called at all.
 *
 * It prints figures and asserts nothing about them. It exits 1 only if the sqlite-vec run failed; Chroma being
 * unavailable (e.g. an old glibc) is reported and skipped.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChromaClient } from 'chromadb';
import { CHROMA_GLIBC_ENV, ChromaSupervisor } from '../agents/memory/chroma-server.ts';
import { openChromaStore } from '../agents/memory/chroma-store.ts';
import { hashEmbedder } from '../agents/memory/embeddings.ts';
import { Memory, type IngestReport } from '../agents/memory/memory.ts';
import { SqliteVecStore } from '../agents/memory/sqlite-vec-store.ts';
import type { MemoryKind, VectorFilter, VectorStore } from '../agents/memory/types.ts';
import { AppError, describeError } from '../core/errors.ts';
import { memoryLogger } from '../core/log.ts';
import { DATABASE_FILE } from '../core/store/database.ts';
import { Store } from '../core/store/store.ts';
import type { Item } from '../core/types.ts';

const ITEMS = Number(process.env.BENCH_ITEMS ?? 20_000);
const QUERIES = Number(process.env.BENCH_QUERIES ?? 200);
const SEED = Number(process.env.BENCH_SEED ?? 20261201);
const DIMENSIONS = 768;
const CHUNK = 1000;
const WARM_UP = 10;
const TARGET_P95_MS = 50;
const NOW = Date.parse('2026-12-01T06:00:00.000Z');
const TIMEZONE = 'Europe/Berlin';
const DAY_MS = 86_400_000;
const SPAN_DAYS = 120;

// ---- a seeded corpus -----------------------------------------------------------------------

let state = SEED >>> 0;
/** mulberry32: the same seed gives the same corpus and the same queries. */
function random(): number {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = Math.imul(state ^ (state >>> 15), state | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
}
const between = (min: number, max: number): number => min + Math.floor(random() * (max - min + 1));
const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
const hex = (length: number): string => Array.from({ length }, () => between(0, 15).toString(16)).join('');
const slug = (text: string): string =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

/** Sentences drawn until the text is between min and max characters long. */
function prose(sentences: readonly (() => string)[], min: number, max: number): string {
  const target = between(min, max);
  let text = '';
  while (text.length < target) text += `${text ? ' ' : ''}${pick(sentences)()}`;
  return text.length > max ? `${text.slice(0, max - 1).trimEnd()}…` : text;
}

const FIRST = [
  'Anna',
  'Jonas',
  'Priya',
  'Mateo',
  'Lena',
  'Tomasz',
  'Chloé',
  'Kwame',
  'Sofia',
  'Yuki',
  'Omar',
  'Ines',
  'Henrik',
  'Aisha',
  'Luca',
  'Mei',
  'Rafael',
  'Freya',
  'Dmitri',
  'Amara',
];
const LAST = [
  'Schmidt',
  'Okafor',
  'Novak',
  'Fischer',
  'Rossi',
  'Lindqvist',
  'Haddad',
  'Moreau',
  'Tanaka',
  'Weber',
  'Kowalski',
  'Brennan',
  'Castillo',
  'Nakamura',
  'Adeyemi',
  'Horvath',
];
const COMPANIES = [
  'Northwind',
  'Contoso',
  'Fabrikam',
  'Globex',
  'Initech',
  'Umbrella Labs',
  'Tailspin',
  'Litware',
  'Wingtip',
  'Proseware',
  'Adatum',
  'Lucerne',
  'Coho Vineyard',
  'Woodgrove Bank',
];
const PROJECTS = [
  'the Northwind renewal',
  'the Q1 budget',
  'the data platform migration',
  'the Contoso pilot',
  'the hiring plan',
  'the security audit',
  'the pricing change',
  'the Berlin office move',
  'the mobile app relaunch',
  'the GDPR review',
  'the warehouse automation',
  'the customer churn analysis',
  'the Lisbon offsite',
  'the vendor consolidation',
  'the support chatbot',
  'the annual report',
];
const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday'];
const TIMES = ['10:00', '12:00', '15:00', '17:00', 'end of day'];
const ROOMS = ['Room Spree', 'Room Havel', 'Google Meet', 'Zoom', 'Café Einstein', 'Board room', 'Room 4.12'];
const PRODUCTS = ['running shoes', 'winter jackets', 'headphones', 'coffee machines', 'desk chairs', 'e-bikes'];
const CITIES = ['Berlin', 'Lisbon', 'Warsaw', 'Dublin', 'Tokyo', 'Nairobi', 'São Paulo', 'Toronto'];
const FEEDS = {
  market: ['MarketWatch', 'CNBC Top News', 'Reuters Business', 'Financial Times'],
  tech: ['Ars Technica', 'The Verge', 'Heise', 'Wired'],
  world: ['BBC World', 'Tagesschau', 'Al Jazeera English', 'Nature News'],
} as const;

const WORK_SENTENCES = [
  () => `Could you confirm the figures for ${pick(PROJECTS)} before ${pick(TIMES)}?`,
  () => `I attached the revised draft; sections ${between(2, 9)}.${between(1, 5)} changed most.`,
  () => `${pick(FIRST)} from finance says the forecast is now €${between(20, 900)}k, ${between(2, 15)}% above plan.`,
  () => `The steering group meets on ${pick(DAYS)} and wants a one-page summary of ${pick(PROJECTS)} beforehand.`,
  () => `If we miss this window the rollout slips by ${between(1, 4)} weeks, which pushes ${pick(PROJECTS)} too.`,
  () => 'Let me know if anything is unclear, happy to jump on a call.',
  () => 'Legal flagged the liability cap and the termination clause as the two open points.',
  () => `${pick(COMPANIES)} asked for a ${between(3, 12)}% discount in exchange for a three-year term.`,
  () => "Notes from yesterday's call are below, with the decisions marked.",
  () => `We still need a named owner for the runbook; ${pick(FIRST)} offered to take it if nobody else does.`,
  () => `${pick(COMPANIES)} moved their go-live to ${pick(DAYS)}, so the test window shrinks to ${between(2, 5)} days.`,
  () => `The penetration testers found ${between(1, 9)} medium findings in the ${pick(COMPANIES)} integration.`,
  () => `Travel to ${pick(CITIES)} is booked; the hotel is close to the ${pick(COMPANIES)} office.`,
  () => `Candidate interviews for the ${pick(['backend', 'data', 'design', 'sales'])} role continue on ${pick(DAYS)}.`,
];
const PROMO_SENTENCES = [
  () => `Save up to ${between(20, 70)}% on ${pick(PRODUCTS)} this week only.`,
  () => `Members get free shipping on orders over €${between(25, 99)}.`,
  () => `Use code ${hex(6).toUpperCase()} at checkout.`,
  () => `Our bestselling ${pick(PRODUCTS)} are back in stock in every size.`,
  () => 'You are receiving this email because you signed up at our store. Unsubscribe at any time.',
];
const UPDATE_SENTENCES = [
  () => `Your order #${between(100000, 999999)} has shipped and should arrive on ${pick(DAYS)}.`,
  () => `A new sign-in to your account was detected from ${pick(CITIES)}.`,
  () => `Your invoice is ready: €${between(9, 400)}.${between(10, 99)}.`,
  () => `${between(2, 9)} pull requests are waiting for your review in ${slug(pick(COMPANIES))}/platform.`,
  () => 'If this was not you, reset your password from the security page.',
  () => `Your train to ${pick(CITIES)} on ${pick(DAYS)} is delayed by ${between(10, 90)} minutes.`,
];
const NEWS_SENTENCES = {
  market: [
    () => `Analysts at ${pick(COMPANIES)} Capital had expected ${between(1, 9)}% growth for the quarter.`,
    () => `Trading volume was ${between(10, 60)}% above the 30-day average.`,
    () => `The company said it would update its guidance on ${pick(DAYS)}.`,
    () => `Bond yields moved ${between(2, 15)} basis points as investors priced in the next central bank meeting.`,
    () => `Brent crude ${pick(['rose', 'fell'])} to $${between(60, 95)} a barrel on supply worries.`,
    () => `Shares of rivals ${pick(COMPANIES)} and ${pick(COMPANIES)} moved in sympathy.`,
  ],
  tech: [
    () => `The release ships to ${between(2, 90)} million devices over the next ${between(2, 6)} weeks.`,
    () => `Developers reported ${between(10, 60)}% faster builds in early benchmarks.`,
    () => 'Regulators in the EU said they were reviewing the announcement.',
    () => `The vulnerability affects versions before ${between(2, 9)}.${between(0, 20)} and is already exploited.`,
    () => `The new chip is made on a ${pick([2, 3, 4, 5])} nanometre process and draws ${between(5, 40)} watts.`,
    () => `The open-source project gained ${between(1, 40)} thousand stars on GitHub within a week.`,
  ],
  world: [
    () => `Storms in ${pick(CITIES)} cut power to ${between(10, 400)} thousand homes.`,
    () => `Rail workers announced a ${between(1, 5)}-day strike starting ${pick(DAYS)}.`,
    () => `The climate summit ended with a pledge to cut methane by ${between(10, 40)}% by 2035.`,
    () => `Voters in ${pick(CITIES)} go to the polls on ${pick(DAYS)} after a close campaign.`,
    () => `Researchers published a vaccine trial with ${between(1, 30)} thousand participants.`,
    () => `The space agency moved the lunar launch window to ${pick(['spring', 'summer', 'autumn'])}.`,
  ],
};

function marketTitle(): string {
  return pick([
    () =>
      `${pick(COMPANIES)} shares ${pick(['rise', 'fall', 'jump', 'slide'])} ${between(1, 14)}% after ${pick(['earnings', 'a guidance cut', 'an upgrade', 'a buyback plan'])}`,
    () =>
      `DAX ${pick(['closes higher', 'slips', 'hits a record'])} as ${pick(['chip stocks rally', 'yields climb', 'oil drops'])}`,
    () => `Central bank ${pick(['holds rates', 'signals two cuts', 'warns on inflation'])} ahead of ${pick(DAYS)} vote`,
    () => `Euro ${pick(['gains', 'weakens'])} against the dollar on ${pick(['jobs data', 'trade talks', 'rate bets'])}`,
  ])();
}

function techTitle(): string {
  return pick([
    () =>
      `${pick(COMPANIES)} ${pick(['launches', 'delays', 'open-sources', 'cancels'])} its ${pick(['AI assistant', 'laptop line', 'database', 'browser', 'smart glasses'])}`,
    () =>
      `${pick(['Linux', 'Rust', 'Node', 'Postgres', 'Kubernetes', 'Firefox'])} ${between(2, 30)} released with ${pick(['faster builds', 'a new scheduler', 'better tooling', 'memory safety fixes'])}`,
    () =>
      `EU ${pick(['fines', 'opens a probe into', 'clears'])} ${pick(COMPANIES)} over ${pick(['app store rules', 'data transfers', 'a merger'])}`,
    () => `Critical ${pick(['OpenSSL', 'router', 'VPN', 'browser'])} vulnerability patched after ransomware attacks`,
  ])();
}

function worldTitle(): string {
  return pick([
    () => `${pick(['Floods', 'Heatwave', 'Storms', 'Wildfires'])} hit ${pick(CITIES)} region`,
    () =>
      `${pick(CITIES)} ${pick(['election', 'rail strike', 'transit plan'])} ${pick(['dominates week', 'ends in deadlock', 'draws crowds'])}`,
    () => `Climate summit ${pick(['agrees methane pledge', 'stalls over funding', 'opens in ' + pick(CITIES)])}`,
    () =>
      `${pick(['Lunar mission', 'Vaccine trial', 'Fusion experiment'])} ${pick(['reaches milestone', 'delayed', 'shows promise'])}`,
  ])();
}

function person(): { name: string; address: string } {
  const first = pick(FIRST);
  const last = pick(LAST);
  return { name: `${first} ${last}`, address: `${slug(first)}.${slug(last)}@${slug(pick(COMPANIES))}.com` };
}

const at = (ms: number): string => new Date(ms).toISOString();
/** Somewhere in the 120 days up to now, at minute resolution. */
const past = (): number => NOW - between(5, SPAN_DAYS * 1440) * 60_000;

function email(n: number): Item {
  const roll = random();
  const kind = roll < 0.15 ? 'important' : roll < 0.55 ? 'work' : roll < 0.75 ? 'updates' : 'promo';
  const sender =
    kind === 'work' || kind === 'important'
      ? person()
      : {
          name: pick(['Zalando', 'GitHub', 'LinkedIn', 'Deutsche Bahn', 'Stripe', 'MediaMarkt', 'Lufthansa']),
          address: `no-reply@${pick(['mail', 'news', 'notify'])}.example.com`,
        };
  const subject =
    kind === 'important'
      ? `${pick(['Action needed', 'Sign-off needed', 'Decision by', 'Urgent'])}: ${pick(PROJECTS)} by ${pick(DAYS)} ${pick(TIMES)}`
      : kind === 'work'
        ? `Re: ${pick(PROJECTS)} — ${pick(['notes', 'next steps', 'draft v3', 'figures', 'open points'])}`
        : kind === 'updates'
          ? pick(['Your order has shipped', 'New sign-in to your account', 'Your invoice is ready', 'Train delayed'])
          : `${between(20, 70)}% off ${pick(PRODUCTS)} — this week only`;
  const sentences =
    kind === 'important' || kind === 'work' ? WORK_SENTENCES : kind === 'updates' ? UPDATE_SENTENCES : PROMO_SENTENCES;
  const body = prose(sentences, 250, 1200);
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
  // Mostly past meetings, some in the coming week: the same 120-day span.
  const day = Math.floor((NOW - (SPAN_DAYS - 7) * DAY_MS) / DAY_MS) + between(0, SPAN_DAYS - 1);
  const start = day * DAY_MS + between(7, 17) * 3_600_000 + pick([0, 15, 30, 45]) * 60_000;
  const minutes = pick([15, 30, 30, 45, 60, 60, 90]);
  const location = pick(ROOMS);
  const attendees = between(1, 12);
  const title = `${pick(['Stand-up', 'Review', '1:1', 'Planning', 'Workshop', 'Sync', 'Interview', 'Demo'])}: ${pick(PROJECTS).replace(/^the /, '')}`;
  return {
    id: `calendar:${hex(12)}-${n}`,
    kind: 'event',
    source: 'calendar',
    origin: 'Calendar',
    title,
    snippet: `${location} · ${attendees} attendee${attendees === 1 ? '' : 's'}`,
    body: prose(WORK_SENTENCES, 100, 500),
    start: at(start),
    end: at(start + minutes * 60_000),
    tags: [],
    meta: { location, attendees, allDay: false },
  };
}

function story(n: number): Item {
  const category = pick(['market', 'market', 'tech', 'tech', 'world'] as const);
  const title = category === 'market' ? marketTitle() : category === 'tech' ? techTitle() : worldTitle();
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
    snippet: prose(NEWS_SENTENCES[category], 200, 900),
    url: `https://${slug(origin)}.com/${slug(title)}-${hex(6)}`,
    publishedAt: at(past()),
    category,
    tags: [],
  };
}

function corpus(count: number): Item[] {
  return Array.from({ length: count }, (_, n) => {
    const roll = random();
    return roll < 0.45 ? email(n) : roll < 0.6 ? event(n) : story(n);
  });
}

interface BenchQuery {
  text: string;
  filter: { kinds: MemoryKind[]; since: number; until: number };
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
    () => ({ text: pick(['central bank rates inflation', 'chip stocks rally', 'oil price barrel']), kinds: ['news'] }),
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

// ---- the bench -----------------------------------------------------------------------------

interface Opened {
  vectors: VectorStore;
  stop?: () => Promise<void>;
  /** How it was opened, when that is worth a line. */
  note?: string;
}

interface Backend {
  name: 'sqlite-vec' | 'chroma';
  /** The vector store, and what to stop besides closing it (a Chroma server this bench started). */
  open(dir: string, store: Store): Promise<Opened>;
}

const items = corpus(ITEMS);
const benchQueries = queries(QUERIES);
const signal = new AbortController().signal;

const kindCounts = new Map<string, number>();
for (const item of items) kindCounts.set(item.kind, (kindCounts.get(item.kind) ?? 0) + 1);
console.log(
  `bench:memory — ${fmt(ITEMS)} items (seed ${SEED}: ${[...kindCounts].map(([k, n]) => `${fmt(n)} ${k}`).join(', ')}, ` +
    `${SPAN_DAYS} days), hash embedder ${DIMENSIONS} dims, ${QUERIES} filtered queries`,
);

/** The back end could not be opened at all: reported as unavailable, not as a failed run. */
class Unavailable extends Error {}

const backends: Backend[] = [
  { name: 'sqlite-vec', open: (_dir, store) => Promise.resolve({ vectors: new SqliteVecStore(store.db) }) },
  { name: 'chroma', open: (dir) => openChroma(dir) },
];

/**
 * $CHROMA_BENCH_URL (a collection of its own, dropped afterwards), else the bundled `chroma run` for the back end's
 * data directory: directly, or, where this system's glibc is too old, under trixie's (scripts/trixie-glibc.sh).
 */
async function openChroma(dir: string): Promise<Opened> {
  const external = process.env.CHROMA_BENCH_URL;
  if (external) {
    const collection = `bench-memory-${process.pid}-${Date.now()}`;
    let vectors: VectorStore;
    try {
      vectors = await openChromaStore({ url: external, collection });
    } catch (error) {
      throw new Unavailable(`${external}: ${describeError(error)}`);
    }
    const drop = async (): Promise<void> => {
      const url = new URL(external);
      const ssl = url.protocol === 'https:';
      const port = url.port ? Number(url.port) : ssl ? 443 : 80;
      const client = new ChromaClient({ host: url.hostname.replace(/^\[(.*)\]$/, '$1'), port, ssl });
      await client.deleteCollection({ name: collection });
    };
    return { vectors, stop: drop, note: `server ${external}, collection ${collection} (dropped afterwards)` };
  }
  const attempt = async (): Promise<Opened> => {
    const supervisor = new ChromaSupervisor({ dataDir: dir, startTimeoutMs: 60_000 });
    try {
      const { url } = await supervisor.start();
      return { vectors: await openChromaStore({ url }), stop: () => supervisor.stop() };
    } catch (error) {
      await supervisor.stop();
      throw error;
    }
  };
  let direct: unknown;
  try {
    return { ...(await attempt()), note: 'bundled server' };
  } catch (error) {
    // Only a glibc that is too old is fixed by the loader (as in test/setup/chroma.ts).
    const glibc = error instanceof AppError && error.code === 'chroma_glibc';
    if (process.env[CHROMA_GLIBC_ENV] || !glibc) throw new Unavailable(describeError(error));
    direct = error;
  }
  let lib: string;
  try {
    const script = join(import.meta.dirname, '..', 'scripts', 'trixie-glibc.sh');
    const out = execFileSync('bash', [script], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 300_000,
    });
    lib = out.trim().split('\n').at(-1)?.trim() ?? '';
    if (!lib) throw new Error('it printed no lib dir');
  } catch (error) {
    throw new Unavailable(`${describeError(direct)}; and no newer glibc: ${describeError(error)}`);
  }
  process.env[CHROMA_GLIBC_ENV] = lib;
  try {
    const opened = await attempt();
    return { ...opened, note: `bundled server under trixie's glibc (${lib}); directly: ${describeError(direct)}` };
  } catch (error) {
    throw new Unavailable(`${describeError(error)} (also under trixie's glibc; directly: ${describeError(direct)})`);
  }
}

// The items go into a store once; each back end starts from a copy of that database (store.upsertItems is not
// what this bench measures, and at this size it is slow).
const seedDir = mkdtempSync(join(tmpdir(), 'db-bench-memory-seed-'));
let exitCode = 0;
try {
  const seed = Store.open(seedDir);
  try {
    const runId = seed.startRun('bench', at(NOW));
    const started = performance.now();
    for (let i = 0; i < items.length; i += CHUNK) seed.upsertItems(runId, items.slice(i, i + CHUNK), at(NOW));
    console.log(
      `store.upsertItems: ${fmt(ITEMS)} items in ${seconds(performance.now() - started)}, chunks of ${fmt(CHUNK)} ` +
        `(once; each back end starts from a copy)`,
    );
    seed.db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    seed.close();
  }
  for (const backend of backends) {
    try {
      await bench(backend);
    } catch (error) {
      const state = error instanceof Unavailable ? 'unavailable' : 'failed';
      console.log(`${backend.name}: ${state} (${describeError(error)})`);
      if (backend.name === 'sqlite-vec') exitCode = 1;
    }
  }
} finally {
  rmSync(seedDir, { recursive: true, force: true });
}
process.exitCode = exitCode;

async function bench(backend: Backend): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), `db-bench-memory-${backend.name}-`));
  let store: Store | undefined;
  let memory: Memory | undefined;
  let stop: (() => Promise<void>) | undefined;
  try {
    copyFileSync(join(seedDir, DATABASE_FILE), join(dir, DATABASE_FILE));
    store = Store.open(dir);
    const opened = await backend.open(dir, store);
    stop = opened.stop;
    const { vectors } = opened;
    const embedder = hashEmbedder(DIMENSIONS);
    let embedMs = 0;
    const timedEmbedder = {
      model: embedder.model,
      embedDocuments: async (texts: string[], s: AbortSignal) => {
        const started = performance.now();
        try {
          return await embedder.embedDocuments(texts, s);
        } finally {
          embedMs += performance.now() - started;
        }
      },
      embedQuery: (text: string, s: AbortSignal) => embedder.embedQuery(text, s),
    };
    const log = memoryLogger();
    memory = new Memory({
      store,
      vectors,
      embedder: timedEmbedder,
      log,
      timezone: TIMEZONE,
      retentionDays: 365,
      maxItems: ITEMS * 2,
      now: () => NOW,
      ...(stop ? { onClose: stop } : {}),
    });
    stop = undefined; // memory.close() stops it from here on
    console.log(`${backend.name}:${opened.note ? ` ${opened.note}` : ''}`);

    // First ingest: every item is new.
    const first = await ingestAll(store, memory, false);
    const rate = Math.round(ITEMS / (first.ingestMs / 1000));
    console.log(
      `  ingest (Memory.ingest, chunks of ${fmt(CHUNK)}): ${fmt(ITEMS)} items in ${seconds(first.ingestMs)}, ` +
        `${fmt(rate)} items/s; ${fmt(first.report.embedded)} embedded in ${fmt(embedder.calls)} calls, ` +
        `of which the hash embedder itself took ${seconds(embedMs)}`,
    );
    if (first.report.pending) console.log(`  ! ${fmt(first.report.pending)} items left pending`);
    console.log(`  vectors stored: ${fmt(await vectors.count())}`);

    // Filtered hybrid search, as the reasoner and `ask` call it.
    for (const q of benchQueries.slice(0, WARM_UP)) await memory.search(q.text, { ...q.filter, limit: 10 }, signal);
    const searchTimes: number[] = [];
    let hits = 0;
    const via = { semantic: 0, keyword: 0, both: 0 };
    for (const q of benchQueries) {
      const started = performance.now();
      const result = await memory.search(q.text, { ...q.filter, limit: 10 }, signal);
      searchTimes.push(performance.now() - started);
      hits += result.length;
      for (const hit of result) via[hit.via]++;
    }
    console.log(
      `  search (hybrid, ${QUERIES} filtered queries, limit 10): p50 ${ms(quantile(searchTimes, 0.5))}, ` +
        `p95 ${ms(quantile(searchTimes, 0.95))} (target p95 < ${TARGET_P95_MS} ms); ` +
        `${(hits / QUERIES).toFixed(1)} hits per query (${share(via.semantic, hits)} semantic only, ` +
        `${share(via.keyword, hits)} keyword only, ${share(via.both, hits)} both)`,
    );

    // The keyword half alone, as Memory.search calls it (one kind passes through; twice the limit).
    const keywordTimes: number[] = [];
    for (const q of benchQueries) {
      const kind = q.filter.kinds.length === 1 ? q.filter.kinds[0] : undefined;
      const started = performance.now();
      store.searchItems(q.text, {
        ...(kind && kind !== 'action' && kind !== 'brief' && kind !== 'feedback' ? { kind } : {}),
        since: at(q.filter.since),
        until: at(q.filter.until),
        limit: 20,
      });
      keywordTimes.push(performance.now() - started);
    }
    console.log(
      `    of which keyword (store.searchItems, FTS5): p50 ${ms(quantile(keywordTimes, 0.5))}, ` +
        `p95 ${ms(quantile(keywordTimes, 0.95))}`,
    );

    // The vector store alone: same filters, query vectors made beforehand.
    const vectorQueries: { vector: number[]; filter: VectorFilter }[] = [];
    for (const q of benchQueries)
      vectorQueries.push({ vector: await embedder.embedQuery(q.text, signal), filter: q.filter });
    for (const q of vectorQueries.slice(0, WARM_UP)) await vectors.query(q.vector, 10, q.filter);
    const queryTimes: number[] = [];
    let rawHits = 0;
    for (const q of vectorQueries) {
      const started = performance.now();
      const result = await vectors.query(q.vector, 10, q.filter);
      queryTimes.push(performance.now() - started);
      rawHits += result.length;
    }
    console.log(
      `  vectors.query (k 10, same filters): p50 ${ms(quantile(queryTimes, 0.5))}, p95 ${ms(quantile(queryTimes, 0.95))} ` +
        `(target p95 < ${TARGET_P95_MS} ms); ${(rawHits / QUERIES).toFixed(1)} hits per query`,
    );

    // The same items again, unchanged: nothing should reach the embedder.
    embedder.calls = 0;
    embedder.inputs = 0;
    const again = await ingestAll(store, memory, true);
    console.log(
      `  re-ingest of the same ${fmt(ITEMS)} items: ${fmt(embedder.calls)} embed calls, ${fmt(embedder.inputs)} inputs ` +
        `(target 0); ${fmt(again.report.unchanged)} unchanged; Memory.ingest ${seconds(again.ingestMs)} ` +
        `(store.upsertItems ${seconds(again.storeMs)})`,
    );
    const warnings = log.lines.filter((l) => l.level === 'warn');
    if (warnings.length) console.log(`  ! ${warnings.length} warnings, first: ${warnings[0]?.message ?? ''}`);
  } finally {
    try {
      await memory?.close();
      await stop?.();
    } finally {
      store?.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

/** Ingests in chunks, as successive refreshes would; `restore` first stores the (unchanged) items again, too. */
async function ingestAll(
  store: Store,
  memory: Memory,
  restore: boolean,
): Promise<{ storeMs: number; ingestMs: number; report: IngestReport }> {
  const report: IngestReport = { embedded: 0, unchanged: 0, pending: 0 };
  let storeMs = 0;
  let ingestMs = 0;
  const runId = store.startRun('bench', at(NOW));
  for (let i = 0; i < items.length; i += CHUNK) {
    const slice = items.slice(i, i + CHUNK);
    let started = performance.now();
    if (restore) store.upsertItems(runId, slice, at(NOW));
    storeMs += performance.now() - started;
    started = performance.now();
    const chunk = await memory.ingest(slice, signal);
    ingestMs += performance.now() - started;
    report.embedded += chunk.embedded;
    report.unchanged += chunk.unchanged;
    report.pending = chunk.pending;
  }
  return { storeMs, ingestMs, report };
}

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[index] ?? NaN;
}

function fmt(n: number): string {
  return n.toLocaleString('en-US');
}

function ms(value: number): string {
  return `${value.toFixed(1)} ms`;
}

function seconds(value: number): string {
  return `${(value / 1000).toFixed(1)} s`;
}

function share(part: number, whole: number): string {
  return whole ? `${Math.round((part / whole) * 100)}%` : '0%';
}
