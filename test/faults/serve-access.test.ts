import { request } from 'node:http';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type LocalServer } from '../fakes/server.ts';
import { launchChromium } from '../helpers/app-fixture.ts';
import { startServeFixture, type ServeFixture } from '../helpers/serve-fixture.ts';

const RENDERER = fileURLToPath(new URL('../../dist/renderer/', import.meta.url));
const TOKEN_HEADER = 'x-daily-brief-token';
let fx: ServeFixture;
let other: LocalServer;
let browser: Browser;

beforeAll(async () => {
  [fx, other, browser] = await Promise.all([
    startServeFixture({ rendererDir: RENDERER }),
    // Another local program on another port: it must never see the token.
    startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<title>other</title>');
    }),
    launchChromium(),
  ]);
  await fx.service.refresh({ trigger: 'cli' });
});
afterAll(async () => {
  await browser.close();
  await other.close();
  await fx.close();
});

function call(name: string, body: unknown, headers: Record<string, string> = {}) {
  return fetch(`${fx.baseUrl}/api/${name}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [TOKEN_HEADER]: fx.server.token, ...headers },
    body: JSON.stringify(body),
  });
}

/** A raw request, so the Host header can be anything (fetch will not send a forged one). */
function rawGet(path: string, host: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: fx.server.port, path, headers: { host, [TOKEN_HEADER]: fx.server.token, ...headers } },
      (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => {
          resolve({ status: res.statusCode ?? 0, body });
        });
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('serve: the token travels in the fragment and a header, never a cookie', () => {
  it('prints the token in the URL fragment, which browsers never send', () => {
    expect(fx.server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=[\w-]{32}$/);
  });

  it('serves the page shell (no data) without the token and sets no cookie', async () => {
    const page = await fetch(`${fx.baseUrl}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('set-cookie')).toBeNull();
    expect(await page.text()).toMatch(/<div id="root">/);
    expect((await fetch(`${fx.baseUrl}/api/brief/latest`, { method: 'POST' })).status).toBe(401);
  });

  it('in Chromium: the app works, no cookie is stored, and another local server gets no token', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const seen: string[] = [];
    page.on('request', (req) => {
      if (req.url().startsWith(other.baseUrl)) seen.push(JSON.stringify(req.headers()));
    });
    await page.goto(fx.server.url);
    await page.locator('main').first().waitFor({ timeout: 15_000 });
    await expect.poll(() => page.url()).not.toContain('token');
    expect(await context.cookies()).toEqual([]);
    await page.goto(`${other.baseUrl}/`);
    expect(other.requests.at(-1)?.headers.cookie).toBeUndefined();
    expect(seen.join('')).not.toContain(fx.server.token);
    await context.close();
  });

  it('in Chromium: the bare URL says in words how to get in', async () => {
    const page = await browser.newPage();
    await page.goto(`${fx.baseUrl}/`);
    const text = await page.locator('body').innerText();
    expect(text).toMatch(/daily-brief serve/);
    expect(text).not.toMatch(/[{}"]|unauthorized/);
    await page.close();
  });
});

describe('serve: Host allow-list and Origin check', () => {
  it('answers loopback names with its port; any other Host gets 421 and no data', async () => {
    const port = fx.server.port;
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]) {
      expect((await rawGet('/', host)).status).toBe(200);
    }
    for (const host of [
      `evil.example:${port}`,
      `127.0.0.1:${port + 1}`,
      'localhost',
      `rebind.127.0.0.1.nip.io:${port}`,
    ]) {
      const answer = await rawGet('/', host);
      expect(answer.status).toBe(421);
      expect(answer.body).not.toMatch(/<div id="root">|"ok"/);
    }
  });

  it('refuses a state-changing call from another origin, even with the token', async () => {
    const forged = await call('preferences/reset', {}, { origin: 'http://evil.example' });
    expect(forged.status).toBe(403);
    const own = await call('preferences/reset', {}, { origin: fx.baseUrl });
    expect(own.status).toBe(200);
  });
});

describe('serve: status codes and error bodies', () => {
  it('feedback on an unknown item is 404; an impossible date is 400', async () => {
    expect((await call('feedback', { itemId: 'no-such-item', action: 'up' })).status).toBe(404);
    for (const date of ['2026-13-45', '2026-02-30']) {
      const answer = await call('brief/byDate', { date });
      expect(answer.status).toBe(400);
      expect(await answer.json()).toMatchObject({ ok: false, error: { code: 'invalid_args' } });
    }
  });

  it('no error body carries an absolute path or a stack', async () => {
    const { scrubPaths } = await import('../../app/serve/server.ts');
    expect(scrubPaths(`EROFS: read-only file system, open '/home/u/.config/daily-brief/.settings.json.1a2b.tmp'`)).toBe(
      `EROFS: read-only file system, open '.settings.json.1a2b.tmp'`,
    );
    expect(scrubPaths('could not read C:\\Users\\u\\AppData\\Roaming\\daily-brief\\settings.json (EACCES)')).toBe(
      'could not read settings.json (EACCES)',
    );
    const answer = await call('feedback', { itemId: '/etc/passwd', action: 'up' });
    expect(await answer.text()).not.toMatch(/\/etc\/|\bat .*\.ts:\d+/);
  });
});
