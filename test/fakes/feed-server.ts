import type { ServerResponse } from 'node:http';
import { startServer, type LocalServer } from './server.ts';

/** How one feed URL answers. Everything is optional: the default is an empty 200. */
export interface FeedRoute {
  /** A string is sent as UTF-8; a Buffer is sent byte for byte (other encodings, byte order marks). */
  body?: string | Buffer;
  /** Default 200. */
  status?: number;
  /** Default `application/rss+xml; charset=utf-8`. */
  contentType?: string;
  /** Sent on every answer; a request whose If-None-Match matches it gets a 304. */
  etag?: string;
  /** Sent on every answer; a request with If-Modified-Since at or after it (and no If-None-Match) gets a 304. */
  lastModified?: string;
  headers?: Record<string, string>;
  /** Wait this long before answering; `Infinity` never answers, until the client gives up or the server closes. */
  delayMs?: number;
  /**
   * Stream this many bytes instead of a fixed body: `body` first, then filler items, in 64 KiB chunks with
   * backpressure, so a 20 MB answer never sits in memory and stops as soon as the client hangs up.
   */
  streamBytes?: number;
  /** With `streamBytes`: declare Content-Length up front (default: chunked, so only reading it reveals the size). */
  declareLength?: boolean;
}

export interface FeedServer {
  baseUrl: string;
  /** The URL of a named route (whether or not it exists yet: unknown names answer 404). */
  url(name: string): string;
  /** The routes in use; add, replace or mutate them between requests. */
  routes: Record<string, FeedRoute>;
  /** Every request in arrival order, with its headers. */
  requests: LocalServer['requests'];
  /** The requests for one route. */
  requestsFor(name: string): LocalServer['requests'];
  /** Body bytes written for a route's most recent request (for streamed routes: before the client hung up). */
  bytesSent(name: string): number;
  /** Requests being answered right now, and the most there ever were at once. */
  readonly inFlight: number;
  readonly maxInFlight: number;
  close(): Promise<void>;
}

const FEED_PREFIX = '/feeds/';
const CHUNK_BYTES = 64 * 1024;

export async function startFeedServer(routes: Record<string, FeedRoute> = {}): Promise<FeedServer> {
  const sent = new Map<string, number>();
  let inFlight = 0;
  let maxInFlight = 0;
  const server = await startServer(async (req, res, url) => {
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    // 'close' fires once the answer is sent or the client gives up, so hanging requests count until aborted.
    res.on('close', () => {
      inFlight -= 1;
    });
    const name = url.pathname.startsWith(FEED_PREFIX) ? decodeURIComponent(url.pathname.slice(FEED_PREFIX.length)) : '';
    const route = fake.routes[name];
    if (!route) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('no such feed');
      return;
    }
    if (route.delayMs) await waitOrClose(res, route.delayMs);
    if (res.destroyed) return;

    const validators: Record<string, string> = {};
    if (route.etag) validators.etag = route.etag;
    if (route.lastModified) validators['last-modified'] = route.lastModified;
    if (isNotModified(route, req.headers['if-none-match'], req.headers['if-modified-since'])) {
      res.writeHead(304, { ...validators, ...route.headers });
      res.end();
      sent.set(name, 0);
      return;
    }
    const headers = {
      'content-type': route.contentType ?? 'application/rss+xml; charset=utf-8',
      ...validators,
      ...route.headers,
    };
    if (route.streamBytes !== undefined) {
      await streamBody(res, route, headers, (bytes) => sent.set(name, bytes));
      return;
    }
    const body = bodyBytes(route);
    res.writeHead(route.status ?? 200, { ...headers, 'content-length': String(body.byteLength) });
    res.end(body);
    sent.set(name, body.byteLength);
  });

  const url = (name: string) => `${server.baseUrl}${FEED_PREFIX}${encodeURIComponent(name)}`;
  const fake: FeedServer = {
    baseUrl: server.baseUrl,
    url,
    routes: { ...routes },
    requests: server.requests,
    requestsFor: (name) => server.requests.filter((r) => r.path === new URL(url(name)).pathname),
    bytesSent: (name) => sent.get(name) ?? 0,
    get inFlight() {
      return inFlight;
    },
    get maxInFlight() {
      return maxInFlight;
    },
    close: () => server.close(),
  };
  return fake;
}

function bodyBytes(route: FeedRoute): Buffer {
  return typeof route.body === 'string' || route.body === undefined
    ? Buffer.from(route.body ?? '', 'utf8')
    : route.body;
}

function isNotModified(
  route: FeedRoute,
  ifNoneMatch: string | undefined,
  ifModifiedSince: string | undefined,
): boolean {
  // RFC 9110: when If-None-Match is present, If-Modified-Since is ignored.
  if (ifNoneMatch !== undefined) {
    if (!route.etag) return false;
    const wanted = stripWeak(route.etag);
    return ifNoneMatch.split(',').some((tag) => tag.trim() === '*' || stripWeak(tag.trim()) === wanted);
  }
  if (ifModifiedSince !== undefined && route.lastModified) {
    const since = Date.parse(ifModifiedSince);
    const modified = Date.parse(route.lastModified);
    return !Number.isNaN(since) && !Number.isNaN(modified) && modified <= since;
  }
  return false;
}

function stripWeak(tag: string): string {
  return tag.startsWith('W/') ? tag.slice(2) : tag;
}

function waitOrClose(res: ServerResponse, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      res.off('close', done);
      resolve();
    };
    const timer = Number.isFinite(ms) ? setTimeout(done, ms) : undefined;
    res.once('close', done);
  });
}

function drainOrClose(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.once('drain', done);
    res.once('close', done);
  });
}

async function streamBody(
  res: ServerResponse,
  route: FeedRoute,
  headers: Record<string, string>,
  record: (bytes: number) => void,
): Promise<void> {
  const total = route.streamBytes ?? 0;
  const head = bodyBytes(route);
  const filler = Buffer.from(fillerItems(CHUNK_BYTES), 'utf8');
  res.writeHead(route.status ?? 200, route.declareLength ? { ...headers, 'content-length': String(total) } : headers);
  let bytes = 0;
  const write = async (chunk: Buffer) => {
    bytes += chunk.byteLength;
    record(bytes);
    if (!res.write(chunk)) await drainOrClose(res);
  };
  if (head.byteLength > 0) await write(head.subarray(0, total));
  while (bytes < total && !res.destroyed) {
    await write(filler.subarray(0, Math.min(filler.byteLength, total - bytes)));
  }
  if (!res.destroyed) res.end();
}

function fillerItems(bytes: number): string {
  const item = '<item><title>Filler</title><description>' + 'x'.repeat(200) + '</description></item>\n';
  return item.repeat(Math.ceil(bytes / item.length)).slice(0, bytes);
}

// The fixtures live beside the server; existing imports of them from here keep working.
export * from './feed-fixtures.ts';
