import { sendJson, sleep, startServer, type LocalServer } from './server.ts';

/** An item as the HN Firebase API (v0) sends it. Fields are optional there too. */
export interface HnWireItem {
  id: number;
  type?: 'story' | 'comment' | 'job' | 'poll' | 'pollopt';
  by?: string;
  time?: number;
  title?: string;
  url?: string;
  text?: string;
  score?: number;
  descendants?: number;
  kids?: number[];
  deleted?: boolean;
  dead?: boolean;
}

export interface HnServerOptions {
  /** Items served at /v0/item/{id}.json; unknown ids answer `null`, as the real API does. */
  stories: HnWireItem[];
  /** The /v0/topstories.json list; defaults to the ids of `stories` in order. */
  topStories?: number[];
  /** Delay before every answer. */
  latencyMs?: number;
  /** Extra delay for particular item ids, e.g. to make answers arrive out of order. */
  itemLatencyMs?: Record<number, number>;
  /** Item ids that answer HTTP 500. */
  failItems?: number[];
  /** Item ids that never answer. */
  hangItems?: number[];
  /** topstories.json answers HTTP 500. */
  failTopStories?: boolean;
  /** topstories.json never answers. */
  hangTopStories?: boolean;
}

export interface HnServer extends LocalServer {
  /** Put this in settings.sources.hackernews.baseUrl (it ends in /v0, like the real one). */
  apiBaseUrl: string;
  /** The options in use; mutate them to change behaviour between requests. */
  options: HnServerOptions;
  /** Requests being answered right now, and the most there ever were at once. */
  readonly inFlight: number;
  readonly maxInFlight: number;
  /** Item ids requested, in arrival order. */
  itemRequests(): number[];
}

const ITEM_PATH = /^\/v0\/item\/(\d+)\.json$/;

export async function startHnServer(options: HnServerOptions): Promise<HnServer> {
  let inFlight = 0;
  let maxInFlight = 0;
  const server = await startServer(async (_req, res, url) => {
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    // 'close' fires once the answer is sent or the client gives up, so hanging requests count until aborted.
    res.on('close', () => {
      inFlight -= 1;
    });
    const opts = fake.options;
    if (opts.latencyMs) await sleep(opts.latencyMs);
    if (url.pathname === '/v0/topstories.json') {
      if (opts.hangTopStories) return;
      if (opts.failTopStories) sendJson(res, { error: 'internal' }, 500);
      else sendJson(res, opts.topStories ?? opts.stories.map((s) => s.id));
      return;
    }
    const match = ITEM_PATH.exec(url.pathname);
    if (!match) {
      // What Firebase says for a path outside the API.
      sendJson(res, { error: 'Permission denied' }, 401);
      return;
    }
    const id = Number(match[1]);
    const extra = opts.itemLatencyMs?.[id];
    if (extra) await sleep(extra);
    if (opts.hangItems?.includes(id)) return;
    if (opts.failItems?.includes(id)) sendJson(res, { error: 'internal' }, 500);
    else sendJson(res, opts.stories.find((s) => s.id === id) ?? null);
  });
  const fake: HnServer = {
    ...server,
    apiBaseUrl: `${server.baseUrl}/v0`,
    options,
    get inFlight() {
      return inFlight;
    },
    get maxInFlight() {
      return maxInFlight;
    },
    itemRequests: () =>
      server.requests.flatMap((r) => {
        const match = ITEM_PATH.exec(r.path.split('?')[0] ?? '');
        return match ? [Number(match[1])] : [];
      }),
  };
  return fake;
}

/** Base time for fixtures: 2024-01-15T06:00:00Z, in unix seconds as HN sends it. */
export const SAMPLE_TIME = 1_705_298_400;

/** `n` plain link stories with distinct, predictable fields: ids 9001.., falling scores, one minute apart. */
export function sampleStories(n: number, firstId = 9001): HnWireItem[] {
  return Array.from({ length: n }, (_, i) => ({
    id: firstId + i,
    type: 'story' as const,
    by: `user${i + 1}`,
    time: SAMPLE_TIME + i * 60,
    title: `Story number ${i + 1}`,
    url: `https://example${i + 1}.com/posts/${firstId + i}`,
    score: 500 - i * 10,
    descendants: i * 3,
    kids: [],
  }));
}
