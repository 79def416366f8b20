import type { Clock } from '../core/clock.ts';
import type { Settings } from '../core/settings.ts';
import type { ConnectorCache, Item, ItemKind } from '../core/types.ts';

export type { CachedResponse, ConnectorCache } from '../core/types.ts';

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
