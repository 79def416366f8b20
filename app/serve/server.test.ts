import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { hostname, networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeConnector, newsItem } from '../../test/helpers/fake-connectors.ts';
import { startServeFixture, type ServeFixture } from '../../test/helpers/serve-fixture.ts';
import type { ServiceEvent } from '../../core/types.ts';
import { TOKEN_HEADER } from './server.ts';

let fx: ServeFixture;
beforeAll(async () => {
  fx = await startServeFixture();
  await fx.service.refresh({ trigger: 'test' });
});
afterAll(() => fx.close());

function post(call: string, body: unknown, headers: Record<string, string> = {}) {
  return fetch(`${fx.baseUrl}/api/${call}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [TOKEN_HEADER]: fx.server.token, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

describe('serve: the access token', () => {
  it('prints a loopback URL that carries a long random token in its fragment', () => {
    expect(fx.server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=[\w-]{32}$/);
  });

  it('refuses every API call and the event stream without it, even with the token in the query', async () => {
    for (const response of [
      await fetch(`${fx.baseUrl}/api/events`),
      await fetch(`${fx.baseUrl}/api/events?token=${fx.server.token}`),
      await post('brief/latest', {}, { [TOKEN_HEADER]: 'x'.repeat(32) }),
    ]) {
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    }
  });

  it('serves the page shell and its files (no data in them) without the token, and never sets a cookie', async () => {
    const page = await fetch(`${fx.baseUrl}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('set-cookie')).toBeNull();
    const asset = await fetch(`${fx.baseUrl}/assets/app.js`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(asset.headers.get('cache-control')).toBe('private, max-age=31536000, immutable');
    expect(page.headers.get('cache-control')).toBe('no-cache');
  });
});

describe('serve: calls', () => {
  it('answers POST /api/<call> with the value in an envelope', async () => {
    const response = await post('brief/latest', {});
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = (await response.json()) as { ok: true; value: { tldr: unknown[] } };
    expect(body.ok).toBe(true);
    expect(body.value.tldr).toHaveLength(3);
  });

  it('turns a bad argument into a one-line error with its field', async () => {
    const response = await post('brief/byDate', { date: 'yesterday' });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      ok: false,
      error: { code: 'invalid_args', message: 'brief/byDate: date: must be a real date written YYYY-MM-DD' },
    });
  });

  it('refuses unknown calls, other methods, other content types, bad JSON and oversized bodies', async () => {
    expect((await post('toString', {})).status).toBe(404);
    expect((await post('__proto__', {})).status).toBe(404);
    const get = await fetch(`${fx.baseUrl}/api/brief/latest`, { headers: { [TOKEN_HEADER]: fx.server.token } });
    expect(get.status).toBe(405);
    expect((await post('brief/latest', '{}', { 'content-type': 'text/plain' })).status).toBe(400);
    expect((await post('brief/latest', '{nope')).status).toBe(400);
    const huge = await post('ask', { question: 'x'.repeat(300 * 1024) });
    expect(huge.status).toBe(413);
    expect(await huge.json()).toMatchObject({ ok: false, error: { code: 'too_large' } });
  });

  it('serves the built files with a strict CSP and nothing outside their folder', async () => {
    const page = await fetch(`${fx.baseUrl}/`);
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe');
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    const auth = { headers: { [TOKEN_HEADER]: fx.server.token } };
    for (const path of ['/../package.json', '/%2e%2e/%2e%2e/etc/passwd', '/assets/../../settings.json', '/nope.js']) {
      expect((await fetch(`${fx.baseUrl}${path}`, auth)).status).toBe(404);
    }
  });

  it('lists history: the newest brief of each date, newest first, with its TL;DR', async () => {
    fx.setNow('2026-12-02T06:00:00.000Z');
    await fx.service.refresh({ trigger: 'test' });
    await fx.service.refresh({ trigger: 'test' });
    fx.setNow('2026-12-01T06:00:00.000Z');
    const body = (await (await post('brief/history', {})).json()) as {
      value: { date: string; generatedAt: string; tldr: string[] }[];
    };
    expect(body.value.map((e) => e.date)).toEqual(['2026-12-02', '2026-12-01']);
    // Items already shown on an earlier day never lead the TL;DR again, so it can be shorter than three.
    const newest = fx.service.latestBrief();
    expect(newest?.tldr.length).toBeGreaterThan(0);
    expect(body.value[0]?.tldr).toEqual(newest?.tldr.map((b) => b.text));
    expect(body.value[0]?.tldr[0]).toEqual(expect.any(String));
    const limited = (await (await post('brief/history', { limit: 1 })).json()) as { value: unknown[] };
    expect(limited.value).toHaveLength(1);
  });
});

describe('serve: settings', () => {
  const file = () => join(fx.dataDir, 'settings.json');

  it('reports every invalid field by path and saves nothing', async () => {
    writeFileSync(file(), '{"location":{"name":"Before"}}\n');
    const invalid = {
      location: { name: 'X', timezone: 'Mars/Olympus' },
      sources: { rss: { feeds: [{ url: 'https://ok.example/feed' }, { url: 'javascript:alert(1)' }] } },
    };
    for (const call of ['settings/validate', 'settings/save']) {
      const body = (await (await post(call, { settings: invalid })).json()) as {
        value: { ok: boolean; errors: { path: string }[] };
      };
      expect(body.value.ok).toBe(false);
      expect(body.value.errors.map((e) => e.path).sort()).toEqual(['location.timezone', 'sources.rss.feeds[1].url']);
    }
    expect(readFileSync(file(), 'utf8')).toBe('{"location":{"name":"Before"}}\n');
  });

  it('writes a valid object whole, through a temporary file that does not stay behind', async () => {
    const { settings } = ((await (await post('settings/get', {})).json()) as { value: { settings: object } }).value;
    const next = { ...settings, ui: { theme: 'dark' } };
    expect(((await (await post('settings/save', { settings: next })).json()) as { value: unknown }).value).toEqual({
      ok: true,
    });
    expect(JSON.parse(readFileSync(file(), 'utf8'))).toMatchObject({ ui: { theme: 'dark' } });
    expect(readdirSync(fx.dataDir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
    expect(existsSync(file())).toBe(true);
  });
});

/** Reads an event stream until brief-ready arrives, and hands back everything it carried. */
async function readUntilReady(response: Response): Promise<ServiceEvent[]> {
  const reader = (response.body as ReadableStream<Uint8Array>).pipeThrough(new TextDecoderStream()).getReader();
  const events: ServiceEvent[] = [];
  let buffer = '';
  while (!events.some((e) => e.type === 'brief-ready')) {
    const { done, value } = await reader.read();
    if (done) break;
    buffer += value;
    const frames = buffer.split('\n\n');
    buffer = frames.pop() ?? '';
    for (const frame of frames) {
      const data = /^data: (.*)$/m.exec(frame)?.[1];
      if (data) events.push(JSON.parse(data) as ServiceEvent);
    }
  }
  await reader.cancel();
  return events;
}

describe('serve: events', () => {
  it('streams refresh progress, then brief-ready, to every open stream', async () => {
    const response = await fetch(`${fx.baseUrl}/api/events`, { headers: { [TOKEN_HEADER]: fx.server.token } });
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reading = readUntilReady(response);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await post('refresh', {})).status).toBe(200);
    const types = (await reading).map((e) => e.type);
    expect(types).toContain('source-started');
    expect(types).toContain('source-finished');
    expect(types.indexOf('brief-ready')).toBeGreaterThan(types.indexOf('source-finished'));
    expect(types).not.toContain('llm-token');
  });

  it('replays the running refresh so far to a stream opened in the middle of it', async () => {
    const slow = fakeConnector('slow', { items: [newsItem('slow', 1)], delayMs: 300 });
    const late = await startServeFixture({ connectors: [slow.connector] });
    try {
      const refreshing = late.service.refresh({ trigger: 'test' });
      await new Promise((resolve) => setTimeout(resolve, 100));
      const response = await fetch(`${late.baseUrl}/api/events`, { headers: { [TOKEN_HEADER]: late.server.token } });
      const events = await readUntilReady(response);
      await refreshing;
      expect(events[0]).toMatchObject({ type: 'phase', phase: 'fetch' });
      expect(events).toContainEqual(expect.objectContaining({ type: 'source-started', source: 'slow' }));
      expect(events).toContainEqual(expect.objectContaining({ type: 'source-finished', source: 'slow', itemCount: 1 }));
      // Once it is over, a new stream starts empty.
      const after = await fetch(`${late.baseUrl}/api/events`, { headers: { [TOKEN_HEADER]: late.server.token } });
      const reader = (after.body as ReadableStream<Uint8Array>).pipeThrough(new TextDecoderStream()).getReader();
      expect((await reader.read()).value).toBe('retry: 2000\n\n');
      await reader.cancel();
    } finally {
      await late.close();
    }
  });
});

describe('serve on every interface (--host 0.0.0.0)', () => {
  it('answers the machine’s own addresses and name, prints one other machines can reach, refuses other names', async () => {
    const wide = await startServeFixture({ host: '0.0.0.0' });
    try {
      const port = wide.server.port;
      const outside = Object.values(networkInterfaces())
        .flat()
        .find((a) => a && !a.internal && a.family === 'IPv4');
      expect(wide.server.url).toMatch(
        new RegExp(`^http://${(outside?.address ?? '127.0.0.1').replaceAll('.', '\\.')}:${String(port)}/#token=`),
      );
      const own = [`127.0.0.1:${port}`, `${hostname()}:${port}`, ...(outside ? [`${outside.address}:${port}`] : [])];
      for (const host of own) expect((await rawStatus(port, host)).status, host).toBe(200);
      for (const host of [`evil.example:${port}`, `0.0.0.0.nip.io:${port}`, `${hostname()}:${port + 1}`]) {
        expect((await rawStatus(port, host)).status, host).toBe(421);
      }
    } finally {
      await wide.close();
    }
  });
});

/** A page request with any Host header (fetch will not send a forged one). */
function rawStatus(port: number, host: string): Promise<{ status: number }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/', headers: { host } }, (res) => {
      res.resume();
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0 });
      });
    });
    req.on('error', reject);
    req.end();
  });
}
