/** Shapes shared by every layer. Plain data only, so they cross IPC and HTTP unchanged. */

export type ItemKind = 'email' | 'event' | 'news' | 'weather';

/** A normalized item from any source. Timestamps are ISO 8601 strings. */
export interface Item {
  /** Stable across refreshes: `${source}:${nativeId}`. */
  id: string;
  kind: ItemKind;
  /** Connector id, e.g. "rss", "hackernews", "weather". */
  source: string;
  /** Human name of where it came from inside the source: a feed title, "Hacker News", a calendar. */
  origin?: string;
  title: string;
  /** Plain text, at most SNIPPET_MAX characters. */
  snippet: string;
  /** Plain text, bounded by the connector. */
  body?: string;
  url?: string;
  author?: string;
  publishedAt?: string;
  start?: string;
  end?: string;
  /** e.g. "market", "tech". */
  category?: string;
  tags: string[];
  /** Source-specific extras that the brief shows (score, comments, forecast figures). */
  meta?: Record<string, unknown>;
}

export const SNIPPET_MAX = 2000;

export type SourceStatusValue = 'ok' | 'error' | 'stale' | 'disabled';

export interface SourceStatus {
  id: string;
  status: SourceStatusValue;
  itemCount: number;
  durationMs: number;
  error?: string;
  /** Partial problems that did not fail the source, e.g. one broken feed among several. */
  warnings?: string[];
  /** After a failure: how many of the last good items are served instead, marked stale. */
  staleItemCount?: number;
  /** When the data shown for this source was fetched: this run for "ok", earlier for stale items. */
  dataAsOf?: string;
}

export interface BriefItem {
  id: string;
  kind: ItemKind;
  source: string;
  origin?: string;
  title: string;
  url?: string;
  snippet: string;
  score: number;
  author?: string;
  category?: string;
  publishedAt?: string;
  start?: string;
  end?: string;
  stale?: boolean;
  /** One line from the model on why this matters to the user. */
  why?: string;
  /** "Why this": the top ranking factors in words, e.g. "you liked 3 posts from this feed". */
  reasons?: string[];
  /** The user's vote on this item, if any. */
  vote?: 'up' | 'down';
  /** Shown to learn what the user likes (the reasons say so); a re-rank after a vote keeps it in place. */
  explored?: true;
  /** The same story from other sources, folded under this one (the best-ranked report). */
  alsoFrom?: AlsoFrom[];
  /** Shown in an earlier brief (YYYY-MM-DD, the first time) and unchanged since: never a lead again. */
  firstShownOn?: string;
  /** Shown before, but changed since; `change` says how. */
  updated?: true;
  change?: string;
  /** For today's meetings: what to know before it (emails with its attendees, items that mention it). */
  related?: RelatedItem[];
  meta?: Record<string, unknown>;
}

export interface AlsoFrom {
  id: string;
  origin?: string;
  url?: string;
  title: string;
}

export interface RelatedItem {
  id: string;
  kind: ItemKind | 'brief' | 'action' | 'feedback';
  title: string;
  /** Why it is related, in words: "email from Dana Reyes this week". */
  why: string;
}

export type SectionKind = 'email' | 'calendar' | 'market' | 'tech' | 'news';

export interface BriefSection {
  kind: SectionKind;
  title: string;
  items: BriefItem[];
}

export interface TldrBullet {
  text: string;
  itemIds: string[];
}

export interface WeatherSummary {
  itemId: string;
  location: string;
  summary: string;
  advice: string[];
  high: number;
  low: number;
  precipitationProbability: number;
  precipitationSum: number;
  windMax: number;
  current: string;
  units: 'metric' | 'imperial';
  sunrise?: string;
  sunset?: string;
  /** The weather source failed this time; this is the forecast fetched earlier today. */
  stale?: boolean;
}

export interface BriefGenerator {
  mode: 'extractive' | 'llm';
  model: string | null;
  llmCalls: number;
  promptTokens: number;
  completionTokens: number;
  /** Time spent on the model, including failed attempts. */
  durationMs: number;
  /** Reasoner steps (model calls in the look-up loop) of the model that wrote the brief. */
  steps?: number;
  /** Why the look-up loop ended early, if a limit ended it (steps, time, tokens). */
  stopReason?: string;
  /** The inputs had not changed, so the previous model output was reused (no calls). */
  cached?: boolean;
  /** Why a model was skipped or the brief is extractive: one clause per model tried. */
  fallbackReason?: string;
  /**
   * Model-written lines checked against the items they cite: how many were checked, re-cited to an item
   * that supports them, and dropped because no item does.
   */
  unsupportedLines?: { checked: number; recited: number; dropped: number };
  /** Parts of the model's reply that were off and were cut or dropped, the rest kept: one line each. */
  repairs?: string[];
}

export interface ActionItem {
  text: string;
  itemIds: string[];
  /** As stated in the email ("today 15:00", "Wednesday"), or null; extractive: local "YYYY-MM-DD[ HH:MM]". */
  due?: string | null;
}

export interface Brief {
  id: string;
  generatedAt: string;
  /** The oldest moment any of the brief's data was fetched (stale sources pull it back). */
  dataAsOf: string;
  /** The local calendar date the brief is for, YYYY-MM-DD in `timezone`. */
  date: string;
  timezone: string;
  demo?: boolean;
  tldr: TldrBullet[];
  /** Written by the model; absent in an extractive brief. */
  summary?: string;
  actionItems?: ActionItem[];
  insights?: TldrBullet[];
  sections: BriefSection[];
  weather: WeatherSummary | null;
  sources: SourceStatus[];
  generator: BriefGenerator;
  timings: { fetchMs: number; totalMs: number };
  /** Hints for the user, e.g. "set your location". */
  notices: string[];
}

export type RefreshTrigger = 'cli' | 'schedule' | 'catch-up' | 'tray' | 'ui' | 'bench' | 'test';

/** Progress of one refresh, for live display. */
export type ProgressEvent =
  | {
      type: 'phase';
      phase: 'fetch' | 'ingest' | 'rank' | 'compose' | 'reason' | 'write' | 'persist' | 'done';
      at: string;
    }
  | { type: 'source-started'; source: string; at: string }
  | { type: 'source-finished'; source: string; itemCount: number; durationMs: number; at: string }
  | { type: 'source-failed'; source: string; error: string; durationMs: number; staleCount: number; at: string }
  | { type: 'llm-step'; model: string; step: number; toolCalls: string[]; at: string }
  | { type: 'llm-token'; model: string; text: string }
  /** The local model is being loaded into memory (a cold start can take tens of seconds), then is ready (or not). */
  | { type: 'model-load'; model: string; state: 'loading' | 'ready' | 'failed'; at: string }
  | { type: 'llm-fallback'; model: string; reason: string; at: string };

export interface SourceHealth {
  id: string;
  status: SourceStatusValue | 'never';
  itemCount: number;
  lastRunAt?: string;
  lastSuccessAt?: string;
  lastError?: string;
  lastErrorAt?: string;
}

/** What a service tells its watchers: every refresh's progress, then its outcome. */
export type ServiceEvent =
  | ProgressEvent
  | { type: 'brief-ready'; briefId: string; date: string; generatedAt: string }
  | { type: 'refresh-failed'; message: string };

/** Conditional-GET validators for one URL, plus the last body so a 304 can be re-read. */
export interface CachedResponse {
  url: string;
  etag?: string;
  lastModified?: string;
  body: string;
  fetchedAt: string;
}

/** What the store offers a connector; nothing else of the app is visible to it. */
export interface ConnectorCache {
  getResponse(url: string): CachedResponse | undefined;
  putResponse(entry: CachedResponse): void;
  /** Whatever was stored; callers validate it, since the cache outlives versions of their code. */
  getValue(key: string): unknown;
  putValue(key: string, value: unknown): void;
}

/** One source of an answer, with what its card shows. All of it is text taken from mail and feeds: data, not markup. */
export interface AskCitation {
  itemId: string;
  /** What was remembered: an item, a brief, a to-do from one, or a vote. */
  kind: ItemKind | 'brief' | 'action' | 'feedback';
  title: string;
  url?: string;
  /** Where it came from, as people say it: the sender, the feed's title, "Calendar", "Your brief". */
  source: string;
  /** When it was sent, published or starts (ISO 8601). */
  at: string;
  /** A line or two of its text, plain; empty when there is none. */
  snippet: string;
}

/** An answer from memory. */
export interface AskResult {
  answer: string;
  citations: AskCitation[];
  /** "llm": a model answered from the matches; "search": the matches themselves (no model available). */
  mode: 'llm' | 'search';
  model?: string;
  fallbackReason?: string;
}

/** A model a server has. */
export interface InstalledModel {
  name: string;
  /** Bytes on disk (Ollama only). */
  size?: number;
  /** Changes when the model is pulled again (Ollama only). */
  digest?: string;
}

/** A model with what it can do, for the model picker. */
export interface DescribedModel {
  name: string;
  size?: number;
  capabilities?: string[];
  contextLength?: number;
  /** "qwen3:8b · tools · thinking · 40k context" */
  label: string;
}

/** What a feed is, as people tell feeds apart. */
export type FeedKind = 'podcast' | 'blog' | 'news';
/** The brief's news sections a feed's stories can go to (a feed's `category` in settings). */
export type FeedSection = 'tech' | 'market' | 'news';

/** A feed read once, before it is added: what to call it and where its stories go. */
export interface FeedInspection {
  /** The feed's own address: the one given, or the one a web page pointed to. */
  url: string;
  /** The feed's own title, plain text; absent when it has none. */
  title?: string;
  kind: FeedKind;
  category: FeedSection;
  /** Entries in it now. */
  entries: number;
}

/** A place found by name, for the weather. */
export interface ResolvedPlace {
  name: string;
  latitude: number;
  longitude: number;
  country?: string;
  admin1?: string;
  timezone?: string;
}

/** One day in the history list: its newest brief's time and TL;DR lines. */
export interface BriefHistoryEntry {
  date: string;
  generatedAt: string;
  tldr: string[];
}
