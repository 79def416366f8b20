/**
 * bench:llm — what does a refresh cost the model on a heavy day, and does an unchanged refresh cost nothing?
 *
 * A seeded heavy day (200 emails, 40 events today and tomorrow, 300 market and tech stories, the weather) comes
 * from in-process connectors. The model is the fake Ollama server behind the real @langchain/ollama client, so the
 * calls and token counts are the ones the app records: prompt ≈ characters / 4 of the request's messages,
 * completion from the reply. The fake plays a sensible agent: it reads the top email with get_item, then stops
 * with a short note; the write call gets a valid JSON brief citing an email, an event and a market story that
 * the write request showed it. Then the same day is refreshed again, unchanged.
 *
 * BENCH_SMOKE=1: a light day (10 emails, 4 events, 12 stories), the same two refreshes.
 *
 * It prints figures and asserts nothing about them. It exits 1 only if the brief did not come from the model,
 * which means the bench is broken, not slow.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { reasonerDigest, writerDigest } from '../agents/brief/writer-budget.ts';
import { HandleBook } from '../agents/reasoner/handles.ts';
import { demoWeatherItem } from '../connectors/demo/demo-weather.ts';
import type { Connector, ConnectorContext } from '../connectors/types.ts';
import { fixedClock } from '../core/clock.ts';
import { memoryLogger } from '../core/log.ts';
import { BriefService } from '../app/service.ts';
import { parseSettings, type LoadedSettings } from '../core/settings.ts';
import { addDays, localDate, zonedInstant } from '../core/time.ts';
import type { Brief, Item } from '../core/types.ts';
import {
  estimateTokens,
  promptTokens,
  startOllamaServer,
  type ChatRequest,
  type ChatTurn,
} from '../test/fakes/ollama-server.ts';
import { MISTAKES, sloppyCitations } from '../test/fakes/sloppy-citations.ts';
import { formatOutcome, sloppyOutcomes, withIds } from './lib/citations.ts';
import { createRandom } from './lib/random.ts';
import { sized } from './lib/smoke.ts';
import { createWords, FEEDS, FIRST, ROOMS, type EmailKind } from './lib/words.ts';

const SEED = Number(process.env.BENCH_SEED ?? 20261201);
/** 07:00 in Berlin: the day's meetings are still ahead. */
const MORNING = '2026-12-01T06:00:00.000Z';
const TIMEZONE = 'Europe/Berlin';
const MODEL = 'llama3.2:3b';
const COUNTS = sized(
  { email: 200, event: 40, market: 150, techRss: 90, hackernews: 60 },
  { email: 10, event: 4, market: 6, techRss: 3, hackernews: 3 },
);

// ---- a seeded heavy day --------------------------------------------------------------------

const rng = createRandom(SEED);
const { random, between, pick, hex, slug, prose } = rng;
const words = createWords(rng);
/** Market and tech stories draw from one pool of news sentences, as this bench always has. */
const NEWS_SENTENCES = [...words.sentences.news.market, ...words.sentences.news.tech];
const minutesAgo = (minutes: number): string => new Date(Date.parse(MORNING) - minutes * 60_000).toISOString();

function emails(): Item[] {
  return Array.from({ length: COUNTS.email }, () => {
    const roll = random();
    const kind: EmailKind =
      roll < 0.15 ? 'important' : roll < 0.45 ? 'work' : roll < 0.65 ? 'updates' : roll < 0.9 ? 'promo' : 'social';
    const sender = kind === 'work' || kind === 'important' ? words.person() : words.service();
    const subject = words.emailSubject(kind);
    const body = prose(words.emailSentences(kind), 500, 3000);
    const labels = ['INBOX', ...(random() < 0.6 ? ['UNREAD'] : [])];
    if (kind === 'important') labels.push('IMPORTANT');
    if (kind === 'updates') labels.push('CATEGORY_UPDATES');
    if (kind === 'promo') labels.push('CATEGORY_PROMOTIONS');
    if (kind === 'social') labels.push('CATEGORY_SOCIAL');
    return {
      id: `gmail:${hex(16)}`,
      kind: 'email',
      source: 'gmail',
      origin: 'Inbox',
      title: subject,
      snippet: body.slice(0, 200),
      body,
      author: sender.name,
      publishedAt: minutesAgo(between(5, 36 * 60)),
      tags: labels,
      meta: { from: sender.address, domain: sender.address.split('@')[1] ?? '', labels },
    };
  });
}

function events(): Item[] {
  const today = localDate(MORNING, TIMEZONE);
  return Array.from({ length: COUNTS.event }, (_, n) => {
    const date = n < COUNTS.event / 2 ? today : addDays(today, 1);
    const hour = between(8, 18);
    const start = zonedInstant(date, `${String(hour).padStart(2, '0')}:${pick(['00', '15', '30', '45'])}`, TIMEZONE);
    const minutes = pick([15, 30, 30, 45, 60, 60, 90]);
    const location = pick(ROOMS);
    const attendees = between(1, 12);
    return {
      id: `calendar:${hex(26)}`,
      kind: 'event',
      source: 'calendar',
      origin: 'Calendar',
      title: words.eventTitle(),
      snippet: `${location} · ${attendees} attendee${attendees === 1 ? '' : 's'}`,
      body: prose(words.sentences.work, 150, 800),
      start: start.toISOString(),
      end: new Date(start.getTime() + minutes * 60_000).toISOString(),
      tags: [],
      meta: { location, attendees, allDay: false },
    };
  });
}

function news(): Item[] {
  const items: Item[] = [];
  const story = (source: 'rss' | 'hackernews', category: 'market' | 'tech', origin: string, title: string): Item => {
    const host = source === 'hackernews' ? pick(['github.com', 'lwn.net', 'blog.example.dev']) : `${slug(origin)}.com`;
    const url = `https://${host}/${slug(title)}-${hex(6)}`;
    const hnId = between(40_000_000, 45_000_000);
    const item: Item = {
      id: source === 'hackernews' ? `hackernews:${hnId}` : `rss:${hex(12)}`,
      kind: 'news',
      source,
      origin,
      title,
      snippet: source === 'hackernews' ? host : prose(NEWS_SENTENCES, 300, 1800),
      url,
      publishedAt: minutesAgo(between(5, 48 * 60)),
      category,
      tags: [],
    };
    if (source === 'hackernews') {
      item.author = slug(pick(FIRST)) + String(between(1, 99));
      item.meta = {
        score: between(5, 900),
        comments: between(0, 400),
        hnUrl: `https://news.ycombinator.com/item?id=${hnId}`,
      };
    }
    return item;
  };
  for (let n = 0; n < COUNTS.market; n++) items.push(story('rss', 'market', pick(FEEDS.market), words.marketTitle()));
  for (let n = 0; n < COUNTS.techRss; n++) items.push(story('rss', 'tech', pick(FEEDS.tech), words.techTitle()));
  for (let n = 0; n < COUNTS.hackernews; n++) items.push(story('hackernews', 'tech', 'Hacker News', words.techTitle()));
  return items;
}

const day = { email: emails(), event: events(), news: news() };
const inputCount = day.email.length + day.event.length + day.news.length + 1; // + the weather
const byId = new Map([...day.email, ...day.event, ...day.news].map((i) => [i.id, i]));

function connector(id: string, kinds: Item['kind'][], items: (context: ConnectorContext) => Item[]): Connector {
  return {
    id,
    label: `${id} (bench)`,
    kinds,
    enabled: () => true,
    fetch: (context) => Promise.resolve({ items: items(context), warnings: [] }),
  };
}

const connectors: Connector[] = [
  connector('gmail', ['email'], () => day.email),
  connector('calendar', ['event'], () => day.event),
  connector('rss', ['news'], () => day.news.filter((i) => i.source === 'rss')),
  connector('hackernews', ['news'], () => day.news.filter((i) => i.source === 'hackernews')),
  connector('weather', ['weather'], (context) => [
    demoWeatherItem(
      {
        code: 61,
        currentCode: 3,
        current: 3,
        high: 7,
        low: 1,
        precipitationProbability: 70,
        precipitationSum: 4.2,
        windMax: 28,
        sunrise: '07:54',
        sunset: '15:57',
      },
      context,
    ),
  ]),
];

// ---- the fake model ------------------------------------------------------------------------

interface Block {
  id: string;
  kind: string;
  category: string;
  from: string;
  time: string;
  title: string;
}

/** The data blocks a request showed the model, in order (the first copy of each id). */
function blocksIn(request: ChatRequest): Block[] {
  const text = request.messages.map((m) => m.content).join('\n');
  const seen = new Map<string, Block>();
  for (const match of text.matchAll(/⟦item ([^⟧]*)⟧\n(?:title: ([^\n]*))?/g)) {
    const attrs = new Map([...(match[1] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((a) => [a[1], a[2] ?? '']));
    const id = attrs.get('id') ?? '';
    if (!id || seen.has(id)) continue;
    seen.set(id, {
      id,
      kind: attrs.get('kind') ?? '',
      category: attrs.get('category') ?? '',
      from: attrs.get('from') ?? '',
      time: attrs.get('time') ?? '',
      title: (match[2] ?? '').replace(/[.!?…]/g, '').trim(),
    });
  }
  return [...seen.values()];
}

interface CallRecord {
  kind: 'reason' | 'write';
  request: ChatRequest;
  promptTokens: number;
  completionTokens: number;
  messages: number;
  itemBlocks: number;
  what: string;
}

const calls: CallRecord[] = [];

function respond(request: ChatRequest): ChatTurn {
  const write = request.format !== undefined;
  const blocks = blocksIn(request);
  const { turn, what } = write ? writeReply(blocks) : reasonReply(request, blocks);
  if (write && sloppy.on) turn.content = sloppyWrite(turn.content ?? '');
  calls.push({
    kind: write ? 'write' : 'reason',
    request,
    // Counted as the fake server counts it: messages plus tool definitions.
    promptTokens:
      turn.promptEvalCount ??
      promptTokens([...request.messages.map((m) => m.content), request.tools ? JSON.stringify(request.tools) : '']),
    completionTokens: turn.evalCount ?? estimateTokens(turn.content ?? ''),
    messages: request.messages.length,
    itemBlocks: blocks.length,
    what,
  });
  return turn;
}

/** First look at the top email in full, then stop with a note. */
function reasonReply(request: ChatRequest, blocks: Block[]): { turn: ChatTurn; what: string } {
  const email = blocks.find((b) => b.kind === 'email');
  if (!email) return { turn: { content: 'Nothing needs looking up.' }, what: 'note, no email to read' };
  if (request.messages.some((m) => m.role === 'tool')) {
    const content = `${email.from || 'The sender'} asks for a decision on "${email.title}" (${email.id}); the full text gives the deadline.`;
    return { turn: { content }, what: 'note, no tool call' };
  }
  const call = { name: 'get_item', arguments: { id: email.id } };
  return {
    // An empty message with a tool call still costs the model tokens to produce.
    turn: { toolCalls: [call], evalCount: estimateTokens(JSON.stringify(call)) },
    what: `get_item ${email.id}`,
  };
}

/** A valid brief citing an email, an event and a market story from the write request. */
function writeReply(blocks: Block[]): { turn: ChatTurn; what: string } {
  const first = blocks[0];
  const email = blocks.find((b) => b.kind === 'email') ?? first;
  const event = blocks.find((b) => b.kind === 'event') ?? first;
  const market = blocks.find((b) => b.category === 'market') ?? first;
  if (!email || !event || !market) return { turn: { content: '{}' }, what: 'no items to cite' };
  const at = event.time.split(' ')[1] ?? 'today';
  const sender = email.from || 'A colleague';
  const body = {
    tldr: [
      { text: `${sender} needs a decision: ${email.title}`, itemIds: [email.id] },
      { text: `First meeting at ${at}: ${event.title}`, itemIds: [event.id] },
      { text: `Markets: ${market.title}`, itemIds: [market.id] },
    ],
    summary: [
      `${sender} is waiting for your answer on "${email.title}".`,
      `Your day starts with "${event.title}" at ${at}, which is the natural place to settle it.`,
      `In markets, ${market.title}.`,
      `The rest of the inbox is routine: notifications, receipts and promotions.`,
      `Rain is likely this afternoon, so plan the commute early.`,
    ].join(' '),
    actionItems: [{ text: `Answer ${sender} on ${email.title}`, itemIds: [email.id], due: 'today' }],
    insights: [{ text: `Settle "${email.title}" before "${event.title}" at ${at}.`, itemIds: [email.id, event.id] }],
    whyItMatters: [
      { itemId: email.id, text: 'It is marked important and blocks the next step.' },
      { itemId: market.id, text: 'It moves the figures in this week’s forecast.' },
    ],
  };
  return { turn: { content: JSON.stringify(body) }, what: `JSON brief citing ${email.id}, ${event.id}, ${market.id}` };
}

/** The fake's sloppy mode: half the citations copied with one small mistake (seeded). */
const sloppy = { on: false, rng: createRandom(SEED + 1), made: 0, cited: 0 };
function sloppyWrite(json: string): string {
  const out = sloppyCitations(json, sloppy.rng.random);
  sloppy.made += out.miscopied;
  sloppy.cited += out.cited;
  return out.json;
}

// ---- the run -------------------------------------------------------------------------------

const fake = await startOllamaServer({ models: [MODEL], respond });
const dir = mkdtempSync(join(tmpdir(), 'db-bench-llm-'));
const settings: LoadedSettings = {
  settings: parseSettings({
    location: { name: 'Berlin', latitude: 52.52, longitude: 13.405, timezone: TIMEZONE },
    llm: { baseUrl: fake.baseUrl, model: MODEL },
  }),
  fromFile: false,
  locationSet: true,
};
const log = memoryLogger();
const service = new BriefService({ dataDir: dir, clock: fixedClock(MORNING), settings, connectors, log });

try {
  console.log(
    `bench:llm — ${sized('heavy', 'light (smoke)')} day (seed ${SEED}): ${day.email.length} emails, ${day.event.length} events, ` +
      `${day.news.length} news items, weather = ${inputCount} items; fake Ollama, model ${MODEL}`,
  );
  const cold = await timedRefresh('refresh 1 (new day)');
  if (cold) {
    await timedRefresh('refresh 2 (unchanged inputs)', 0);
    citationFigures(cold);
    await sloppyRefresh();
  }
  const warnings = log.lines.filter((l) => l.level === 'warn' || l.level === 'error');
  for (const line of warnings) console.log(`log ${line.level}: ${line.message} ${JSON.stringify(line.fields)}`);
} finally {
  service.close();
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
}

/** One refresh and its figures. Undefined (and exit code 1) when the brief did not come from the model. */
async function timedRefresh(label: string, targetCalls?: number): Promise<Refreshed | undefined> {
  const before = calls.length;
  const started = performance.now();
  const brief = await service.refresh({ trigger: 'bench' });
  const wallMs = performance.now() - started;
  const made = calls.slice(before);
  const g = brief.generator;
  console.log(`${label}: wall ${wallMs.toFixed(0)} ms`);
  console.log(
    `  generator: mode=${g.mode} model=${g.model ?? 'none'} llmCalls=${g.llmCalls} promptTokens=${g.promptTokens} ` +
      `completionTokens=${g.completionTokens} steps=${g.steps ?? '-'} cached=${g.cached === true} ` +
      `fallbackReason=${g.fallbackReason ?? 'none'}${g.stopReason ? ` stopReason=${g.stopReason}` : ''}`,
  );
  if (g.mode !== 'llm') {
    console.error(`the brief is ${g.mode}, not from the model: ${g.fallbackReason ?? 'no reason given'}`);
    process.exitCode = 1;
    return undefined;
  }
  const prompt = made.reduce((sum, c) => sum + c.promptTokens, 0);
  const completion = made.reduce((sum, c) => sum + c.completionTokens, 0);
  console.log(
    `  LLM calls ${made.length} (target ${targetCalls === undefined ? '≤ 4' : targetCalls}), ` +
      `prompt tokens ${prompt}${targetCalls === undefined ? ' (target ≤ 8000)' : ''}, completion tokens ${completion}`,
  );
  for (const [n, c] of made.entries()) {
    console.log(
      `    call ${n + 1} ${c.kind}: prompt ${c.promptTokens} tokens (${c.messages} messages, ${c.itemBlocks} item blocks), ` +
        `completion ${c.completionTokens} tokens — ${c.what}`,
    );
  }
  const digest = writerDigest(brief, settings.settings.llm);
  const inSections = brief.sections.reduce((sum, s) => sum + s.items.length, 0);
  const kinds = new Map<string, number>();
  for (const id of digest.itemIds) {
    const item = byId.get(id);
    const key = item?.kind === 'news' ? (item.category ?? 'news') : (item?.kind ?? 'other');
    kinds.set(key, (kinds.get(key) ?? 0) + 1);
  }
  console.log(
    `  digest: kept ${digest.itemIds.length} of ${inputCount} input items ` +
      `(${[...kinds].map(([k, v]) => `${k} ${v}`).join(', ')}); ` +
      `${inSections} in the brief's sections, ${digest.omitted} left out for the budget; ≈ ${digest.tokens} tokens`,
  );
  return { brief, made };
}

interface Refreshed {
  brief: Brief;
  made: CallRecord[];
}

/** The handles the writer gave, rebuilt the way it gives them: writer digest, weather, look-up titles. */
function handleBook(brief: Brief): HandleBook {
  const llm = settings.settings.llm;
  const handles = new HandleBook();
  writerDigest(brief, llm, { contextTokens: llm.contextTokens, handles });
  if (brief.weather) handles.handleFor(brief.weather.itemId, 'weather');
  reasonerDigest(brief, llm, { contextTokens: llm.contextTokens, handles });
  return handles;
}

/** Prompt tokens of refresh 1 as sent (handles) and as the same requests with the items' own ids. */
function citationFigures({ brief, made }: Refreshed): void {
  const handles = handleBook(brief);
  const count = (c: CallRecord, map: (t: string) => string) =>
    promptTokens([
      ...c.request.messages.map((m) => map(m.content)),
      c.request.tools ? JSON.stringify(c.request.tools) : '',
    ]);
  const withHandles = made.reduce((sum, c) => sum + count(c, (t) => t), 0);
  const asIds = made.reduce((sum, c) => sum + count(c, (t) => withIds(t, handles)), 0);
  const write = made.find((c) => c.kind === 'write');
  const writeHandles = write ? count(write, (t) => t) : 0;
  const writeIds = write ? count(write, (t) => withIds(t, handles)) : 0;
  const saved = (a: number, b: number) => `${(((b - a) / b) * 100).toFixed(1)}% fewer`;
  console.log(
    `citations: prompt tokens of refresh 1 with handles ${withHandles}, the same requests with ids ${asIds} ` +
      `(${saved(withHandles, asIds)}); write call ${writeHandles} vs ${writeIds} (${saved(writeHandles, writeIds)})`,
  );
  const shown = write ? blocksIn(write.request).map((b) => handles.idFor(b.id) ?? b.id) : [];
  const outcomes = sloppyOutcomes(handles, shown, createRandom(SEED + 2));
  console.log(`  sloppy copies of the ${shown.length} citations the write call showed (3 tries each, seeded):`);
  for (const mistake of MISTAKES) {
    const h = outcomes.handles.get(mistake);
    const i = outcomes.ids.get(mistake);
    if (h && i) console.log(`    ${mistake}: handles ${formatOutcome(h)}; ids ${formatOutcome(i)}`);
  }
}

/** A fresh store, and a writer that miscopies half its citations: what the app makes of it. */
async function sloppyRefresh(): Promise<void> {
  const sloppyDir = mkdtempSync(join(tmpdir(), 'db-bench-llm-sloppy-'));
  const sloppyService = new BriefService({ dataDir: sloppyDir, clock: fixedClock(MORNING), settings, connectors, log });
  sloppy.on = true;
  const before = calls.length;
  try {
    const g = (await sloppyService.refresh({ trigger: 'bench' })).generator;
    const writes = calls.slice(before).filter((c) => c.kind === 'write').length;
    console.log(
      `sloppy writer (${sloppy.made} of ${sloppy.cited} citations miscopied over ${writes} write call(s)): ` +
        `mode=${g.mode} llmCalls=${g.llmCalls} fallbackReason=${g.fallbackReason ?? 'none'}`,
    );
  } finally {
    sloppy.on = false;
    sloppyService.close();
    rmSync(sloppyDir, { recursive: true, force: true });
  }
}
