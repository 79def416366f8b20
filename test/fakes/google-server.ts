import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson, sleep, startServer, type LocalServer } from './server.ts';

/**
 * A local Google: the OAuth authorization and token endpoints (PKCE checked, refresh, invalid_grant, revoke),
 * Gmail users.getProfile / messages.list / messages.get / history.list, and Calendar calendarList.list /
 * events.list with paging, nextSyncToken and 410. Shapes follow Google's REST reference; the app's real
 * googleapis clients talk to it through `google.apiRootUrl`, `google.authUrl` and `google.tokenUrl`.
 */

export interface FakeMessage {
  id: string;
  threadId?: string;
  labelIds: string[];
  internalDate: number;
  snippet: string;
  /** The RFC 822 message. */
  raw: string | Buffer;
}

export interface FakeCalendar {
  id: string;
  summary: string;
  /** Events as Google stores them: a recurring one has `recurrence` and is expanded when singleEvents=true. */
  events: Record<string, unknown>[];
}

export interface FakeAccount {
  address: string;
  messages: FakeMessage[];
  /** history records; each has an `id` (the historyId) and messagesAdded/… lists. */
  history: {
    id: string;
    messagesAdded?: { message: { id: string } }[];
    messagesDeleted?: { message: { id: string } }[];
    labelsAdded?: { message: { id: string }; labelIds: string[] }[];
    labelsRemoved?: { message: { id: string }; labelIds: string[] }[];
  }[];
  historyId: number;
  /** history.list with a startHistoryId below this answers 404 (Gmail keeps about a week). */
  oldestHistoryId: number;
  calendars: FakeCalendar[];
  /** Event changes after a sync token: token -> events to return. */
  changesAfter: Map<string, Record<string, unknown>[]>;
  expiredSyncTokens: Set<string>;
}

export interface FakeGoogle extends LocalServer {
  clientId: string;
  clientSecret: string;
  accounts: Map<string, FakeAccount>;
  /** Who signs in on the next consent. */
  consentAs: string;
  /** Message ids answered with a rate limit (429 or 403 rateLimitExceeded) this many times before succeeding. */
  rateLimits: Map<string, { status: 429 | 403; times: number }>;
  /** Calendar events are served this many per page. */
  eventsPageSize: number;
  /** Gmail message ids are listed at most this many per page. */
  messagesPageSize: number;
  revokeRefreshToken(address: string): void;
  /** Every access token issued so far expires now. */
  expireAccessTokens(): void;
  tokenRequests: Record<string, string>[];
  revoked: string[];
  refreshTokensOf(address: string): string[];
}

export function fakeAccount(address: string, partial: Partial<FakeAccount> = {}): FakeAccount {
  return {
    address,
    messages: [],
    history: [],
    historyId: 1000,
    oldestHistoryId: 1,
    calendars: [{ id: 'primary', summary: address, events: [] }],
    changesAfter: new Map(),
    expiredSyncTokens: new Set(),
    ...partial,
  };
}

export interface GoogleServerOptions {
  /** Every Gmail and Calendar API call answers after this long (OAuth does not), as a distant server would. */
  latencyMs?: number;
}

export async function startGoogleServer(options: GoogleServerOptions = {}): Promise<FakeGoogle> {
  const codes = new Map<string, { challenge: string; redirectUri: string; address: string }>();
  const refreshTokens = new Map<string, { address: string; revoked: boolean }>();
  const accessTokens = new Map<string, { address: string; expired: boolean }>();
  const issue = (address: string): string => {
    const token = `ya29.${randomBytes(12).toString('hex')}`;
    accessTokens.set(token, { address, expired: false });
    return token;
  };

  const fake = {} as FakeGoogle;
  let syncCounter = 0;
  const server = await startServer(async (req, res, url) => {
    const path = url.pathname;
    if (req.method === 'GET' && path === '/o/oauth2/v2/auth') {
      authorize(url, res);
      return;
    }
    if (req.method === 'POST' && path === '/token') {
      token(await form(req), res);
      return;
    }
    if (req.method === 'POST' && path === '/revoke') {
      const body = await form(req);
      const value = url.searchParams.get('token') ?? body.token ?? '';
      fake.revoked.push(value);
      const entry = refreshTokens.get(value);
      if (entry) entry.revoked = true;
      sendJson(res, {});
      return;
    }
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
    const access = accessTokens.get(bearer);
    if (!access || access.expired) {
      sendJson(
        res,
        apiError(401, 'Request had invalid authentication credentials.', 'authError', 'UNAUTHENTICATED'),
        401,
      );
      return;
    }
    const account = fake.accounts.get(access.address);
    if (!account) {
      sendJson(res, apiError(404, 'no such account', 'notFound'), 404);
      return;
    }
    if (options.latencyMs) await sleep(options.latencyMs);
    if (path.startsWith('/gmail/v1/users/me/')) {
      gmail(account, path.slice('/gmail/v1/users/me/'.length), url, res);
      return;
    }
    if (path === '/calendar/v3/users/me/calendarList') {
      sendJson(res, {
        kind: 'calendar#calendarList',
        items: account.calendars.map((c) => ({ id: c.id, summary: c.summary, accessRole: 'owner' })),
      });
      return;
    }
    const events = /^\/calendar\/v3\/calendars\/([^/]+)\/events$/.exec(path);
    if (events?.[1]) {
      calendarEvents(account, decodeURIComponent(events[1]), url, res);
      return;
    }
    sendJson(res, apiError(404, `no route ${path}`, 'notFound'), 404);
  });

  function authorize(url: URL, res: ServerResponse): void {
    const q = url.searchParams;
    const redirectUri = q.get('redirect_uri') ?? '';
    if (
      q.get('client_id') !== fake.clientId ||
      q.get('response_type') !== 'code' ||
      q.get('code_challenge_method') !== 'S256' ||
      !q.get('code_challenge') ||
      !/^http:\/\/127\.0\.0\.1:\d+\//.test(redirectUri)
    ) {
      res.writeHead(400, { 'content-type': 'text/plain' }).end('Error 400: invalid_request');
      return;
    }
    const code = `4/${randomBytes(8).toString('hex')}`;
    codes.set(code, { challenge: q.get('code_challenge') ?? '', redirectUri, address: fake.consentAs });
    const target = new URL(redirectUri);
    target.searchParams.set('code', code);
    target.searchParams.set('scope', q.get('scope') ?? '');
    target.searchParams.set('state', q.get('state') ?? '');
    res.writeHead(302, { location: target.href }).end();
  }

  function token(body: Record<string, string>, res: ServerResponse): void {
    fake.tokenRequests.push(body);
    const invalidGrant = (description: string) => {
      sendJson(res, { error: 'invalid_grant', error_description: description }, 400);
    };
    if (body.client_id !== fake.clientId || body.client_secret !== fake.clientSecret) {
      sendJson(res, { error: 'invalid_client', error_description: 'The OAuth client was not found.' }, 401);
      return;
    }
    if (body.grant_type === 'authorization_code') {
      const entry = codes.get(body.code ?? '');
      codes.delete(body.code ?? '');
      if (!entry) {
        invalidGrant('Malformed auth code.');
        return;
      }
      const challenge = createHash('sha256')
        .update(body.code_verifier ?? '')
        .digest('base64url');
      if (challenge !== entry.challenge) {
        invalidGrant('Invalid code verifier.');
        return;
      }
      if (body.redirect_uri !== entry.redirectUri) {
        sendJson(res, { error: 'redirect_uri_mismatch' }, 400);
        return;
      }
      const refresh = `1//${randomBytes(12).toString('hex')}`;
      refreshTokens.set(refresh, { address: entry.address, revoked: false });
      sendJson(res, {
        access_token: issue(entry.address),
        expires_in: 3599,
        refresh_token: refresh,
        scope: 'https://www.googleapis.com/auth/gmail.readonly https://www.googleapis.com/auth/calendar.readonly',
        token_type: 'Bearer',
      });
      return;
    }
    if (body.grant_type === 'refresh_token') {
      const entry = refreshTokens.get(body.refresh_token ?? '');
      if (!entry || entry.revoked) {
        invalidGrant('Token has been expired or revoked.');
        return;
      }
      sendJson(res, {
        access_token: issue(entry.address),
        expires_in: 3599,
        scope: 'https://www.googleapis.com/auth/gmail.readonly https://www.googleapis.com/auth/calendar.readonly',
        token_type: 'Bearer',
      });
      return;
    }
    sendJson(res, { error: 'unsupported_grant_type' }, 400);
  }

  function gmail(account: FakeAccount, rest: string, url: URL, res: ServerResponse): void {
    const q = url.searchParams;
    if (rest === 'profile') {
      sendJson(res, {
        emailAddress: account.address,
        messagesTotal: account.messages.length,
        threadsTotal: account.messages.length,
        historyId: String(account.historyId),
      });
      return;
    }
    if (rest === 'messages') {
      const max = Number(q.get('maxResults') ?? 100);
      const start = Number(q.get('pageToken') ?? 0);
      const sorted = [...account.messages].sort((a, b) => b.internalDate - a.internalDate);
      const page = sorted.slice(start, start + Math.min(max, fake.messagesPageSize));
      const next = start + page.length < sorted.length ? String(start + page.length) : undefined;
      sendJson(res, {
        messages: page.map((m) => ({ id: m.id, threadId: m.threadId ?? m.id })),
        ...(next ? { nextPageToken: next } : {}),
        resultSizeEstimate: sorted.length,
      });
      return;
    }
    if (rest === 'history') {
      const from = Number(q.get('startHistoryId') ?? 0);
      if (from < account.oldestHistoryId) {
        sendJson(res, apiError(404, 'Requested entity was not found.', 'notFound'), 404);
        return;
      }
      sendJson(res, {
        history: account.history.filter((h) => Number(h.id) > from),
        historyId: String(account.historyId),
      });
      return;
    }
    const id = /^messages\/([^/]+)$/.exec(rest)?.[1];
    const message = account.messages.find((m) => m.id === id);
    if (!id || !message) {
      sendJson(res, apiError(404, 'Requested entity was not found.', 'notFound'), 404);
      return;
    }
    const limit = fake.rateLimits.get(id);
    if (limit && limit.times > 0) {
      limit.times -= 1;
      if (limit.status === 429)
        sendJson(
          res,
          apiError(429, 'Too many concurrent requests for user.', 'rateLimitExceeded', 'RESOURCE_EXHAUSTED'),
          429,
        );
      else sendJson(res, apiError(403, 'User Rate Limit Exceeded', 'userRateLimitExceeded', 'PERMISSION_DENIED'), 403);
      return;
    }
    const raw = Buffer.isBuffer(message.raw) ? message.raw : Buffer.from(message.raw.replace(/\r?\n/g, '\r\n'), 'utf8');
    const base = {
      id: message.id,
      threadId: message.threadId ?? message.id,
      labelIds: message.labelIds,
      snippet: message.snippet,
      historyId: String(account.historyId),
      internalDate: String(message.internalDate),
      sizeEstimate: raw.length,
    };
    if (q.get('format') === 'raw') {
      sendJson(res, { ...base, raw: raw.toString('base64url') });
      return;
    }
    const head = raw.toString('latin1').split(/\r\n\r\n/)[0] ?? '';
    const headers = head
      .replace(/\r\n[ \t]+/g, ' ')
      .split('\r\n')
      .map((line) => ({ name: line.slice(0, line.indexOf(':')), value: line.slice(line.indexOf(':') + 1).trim() }));
    const wanted = new Set(q.getAll('metadataHeaders').map((h) => h.toLowerCase()));
    sendJson(res, {
      ...base,
      payload: { mimeType: 'message/rfc822', headers: headers.filter((h) => wanted.has(h.name.toLowerCase())) },
    });
  }

  function calendarEvents(account: FakeAccount, calendarId: string, url: URL, res: ServerResponse): void {
    const q = url.searchParams;
    const calendar = account.calendars.find((c) => c.id === calendarId);
    if (!calendar) {
      sendJson(res, apiError(404, 'Not Found', 'notFound'), 404);
      return;
    }
    const syncToken = q.get('syncToken');
    let all: Record<string, unknown>[];
    if (syncToken) {
      if (q.has('timeMin') || q.has('timeMax')) {
        sendJson(res, apiError(400, 'Sync token cannot be used with timeMin.', 'invalid'), 400);
        return;
      }
      if (account.expiredSyncTokens.has(syncToken)) {
        sendJson(
          res,
          apiError(410, 'Sync token is no longer valid, a full sync is required.', 'fullSyncRequired'),
          410,
        );
        return;
      }
      all = account.changesAfter.get(syncToken) ?? [];
    } else {
      const min = Date.parse(q.get('timeMin') ?? '1970-01-01T00:00:00Z');
      const max = Date.parse(q.get('timeMax') ?? '2100-01-01T00:00:00Z');
      const single = q.get('singleEvents') === 'true';
      all = calendar.events.flatMap((e) => (single ? expand(e, min, max) : [e])).filter((e) => overlaps(e, min, max));
    }
    const start = Number(q.get('pageToken') ?? 0);
    const page = all.slice(start, start + fake.eventsPageSize);
    const more = start + page.length < all.length;
    sendJson(res, {
      kind: 'calendar#events',
      summary: calendar.summary,
      timeZone: 'Europe/Berlin',
      items: page,
      ...(more
        ? { nextPageToken: String(start + page.length) }
        : { nextSyncToken: `sync-${calendarId}-${String(++syncCounter)}` }),
    });
  }

  Object.assign(fake, server, {
    clientId: 'fake-client.apps.googleusercontent.com',
    clientSecret: 'fake-secret',
    accounts: new Map<string, FakeAccount>(),
    consentAs: 'you@example.com',
    rateLimits: new Map(),
    eventsPageSize: 2,
    messagesPageSize: 2,
    tokenRequests: [],
    revoked: [],
    revokeRefreshToken: (address: string) => {
      for (const entry of refreshTokens.values()) if (entry.address === address) entry.revoked = true;
    },
    expireAccessTokens: () => {
      for (const entry of accessTokens.values()) entry.expired = true;
    },
    refreshTokensOf: (address: string) =>
      [...refreshTokens.entries()].filter(([, e]) => e.address === address).map(([t]) => t),
  });
  return fake;
}

function apiError(code: number, message: string, reason: string, status?: string) {
  return { error: { code, message, errors: [{ message, domain: 'global', reason }], ...(status ? { status } : {}) } };
}

async function form(req: IncomingMessage): Promise<Record<string, string>> {
  let text = '';
  for await (const chunk of req) text += String(chunk);
  if ((req.headers['content-type'] ?? '').includes('application/json'))
    return JSON.parse(text || '{}') as Record<string, string>;
  return Object.fromEntries(new URLSearchParams(text));
}

function instant(time: unknown): number {
  const t = time as { dateTime?: string; date?: string } | undefined;
  return Date.parse(t?.dateTime ?? `${t?.date ?? '1970-01-01'}T00:00:00Z`);
}

function overlaps(event: Record<string, unknown>, min: number, max: number): boolean {
  return instant(event.end ?? event.start) > min && instant(event.start) < max;
}

/**
 * singleEvents=true: a daily recurrence (RRULE:FREQ=DAILY) becomes one instance per day, keeping its wall-clock
 * time in the event's own zone across DST (the offset is recomputed per day), with Google's instance ids.
 */
function expand(event: Record<string, unknown>, min: number, max: number): Record<string, unknown>[] {
  const rule = (event.recurrence as string[] | undefined)?.[0];
  if (rule !== 'RRULE:FREQ=DAILY') return [event];
  const start = event.start as { dateTime: string; timeZone: string };
  const end = event.end as { dateTime: string; timeZone: string };
  const wall = start.dateTime.slice(11, 16);
  const minutes = (Date.parse(end.dateTime) - Date.parse(start.dateTime)) / 60_000;
  const out: Record<string, unknown>[] = [];
  for (
    let day = new Date(start.dateTime.slice(0, 10));
    day.getTime() < max;
    day = new Date(day.getTime() + 86_400_000)
  ) {
    const date = day.toISOString().slice(0, 10);
    const at = wallClock(date, wall, start.timeZone);
    if (at + minutes * 60_000 <= min || at >= max) continue;
    const rest = { ...event };
    delete rest.recurrence;
    out.push({
      ...rest,
      id: `${String(event.id)}_${new Date(at).toISOString().replace(/[-:]/g, '').slice(0, 15)}Z`,
      recurringEventId: event.id,
      originalStartTime: { dateTime: new Date(at).toISOString(), timeZone: start.timeZone },
      start: { dateTime: new Date(at).toISOString(), timeZone: start.timeZone },
      end: { dateTime: new Date(at + minutes * 60_000).toISOString(), timeZone: end.timeZone },
    });
  }
  return out;
}

/** The instant of a wall-clock time in a zone, found by trying the offsets a zone can have. */
function wallClock(date: string, time: string, zone: string): number {
  const guess = Date.parse(`${date}T${time}:00Z`);
  const format = new Intl.DateTimeFormat('sv-SE', {
    timeZone: zone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  for (let offset = -14 * 60; offset <= 14 * 60; offset += 15) {
    const at = guess - offset * 60_000;
    if (format.format(at).replace(' ', 'T') === `${date}T${time}`) return at;
  }
  return guess;
}
