import type { Clock } from '../core/clock.ts';
import type { Settings } from '../core/settings.ts';
import type { Item, ItemKind } from '../core/types.ts';

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

export interface ConnectorContext {
  settings: Settings;
  signal: AbortSignal;
  clock: Clock;
  cache: ConnectorCache;
  /** Time limit for a single HTTP request; the whole fetch is bounded by the workflow too. */
  requestTimeoutMs: number;
}

export interface ConnectorResult {
  items: Item[];
  /** Problems that did not fail the whole source, e.g. one bad feed among five. Each is one line. */
  warnings: string[];
}

/** One source. It only fetches and normalizes; ranking and storage happen elsewhere. */
export interface Connector {
  id: string;
  /** Shown to the user. */
  label: string;
  kinds: ItemKind[];
  enabled(settings: Settings): boolean;
  fetch(context: ConnectorContext): Promise<ConnectorResult>;
}
