import { generatedRssFeed } from '../fakes/feed-fixtures.ts';
import { startServer, type LocalServer } from '../fakes/server.ts';

/**
 * One feed that answers only when the test opens the gate, so a refresh can be held mid-fetch for as long as
 * a test needs (another process started, a kill -9 sent) without any timing guess.
 */
export interface GatedFeed {
  url: string;
  /** Requests received so far. */
  readonly count: number;
  /** Resolves when the n-th request (1-based) has arrived. */
  request(n: number): Promise<void>;
  /** Answers every held request and every later one, until `close()` or `hold()`. */
  open(): void;
  hold(): void;
  close(): Promise<void>;
}

export async function startGatedFeed(): Promise<GatedFeed> {
  let count = 0;
  let opened = false;
  const held: (() => void)[] = [];
  const waiters: { n: number; resolve: () => void }[] = [];
  const body = generatedRssFeed({ title: 'Wire', count: 3, newest: new Date().toISOString() });
  const server: LocalServer = await startServer(async (_req, res) => {
    count++;
    for (const w of waiters.filter((x) => x.n <= count)) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve();
    }
    if (!opened) await new Promise<void>((resolve) => held.push(resolve));
    res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' });
    res.end(body);
  });
  return {
    url: `${server.baseUrl}/feeds/wire`,
    get count() {
      return count;
    },
    request: (n) =>
      new Promise<void>((resolve) => {
        if (count >= n) resolve();
        else waiters.push({ n, resolve });
      }),
    open: () => {
      opened = true;
      for (const release of held.splice(0)) release();
    },
    hold: () => {
      opened = false;
    },
    close: () => {
      opened = true;
      for (const release of held.splice(0)) release();
      return server.close();
    },
  };
}
