import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AppError, failure, type Envelope, type ErrorCode } from '../../contract/envelope.ts';
import type { AppEvent } from '../../contract/events.ts';
import type { Dispatch } from '../dispatch.ts';
import { EventHub } from './events.ts';
import { servedHosts } from './hosts.ts';
import { readStatic } from './static.ts';

export const TOKEN_HEADER = 'x-daily-brief-token';
const MAX_BODY_BYTES = 256 * 1024;

/** Only our own files and our own API: no inline script, no other origin, no framing. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-src 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');

const SECURITY_HEADERS = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  // The token is in the page's URL: it must never travel in a Referer to a linked site.
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

export interface ServeOptions {
  dispatch: Dispatch;
  /** Progress, "brief-ready" and the rest of the app's events, for the event stream. */
  subscribe: (listener: (event: AppEvent) => void) => () => void;
  rendererDir: string;
  host: string;
  port: number;
  /** Random when not given. */
  token?: string;
}

export interface RunningServer {
  url: string;
  token: string;
  port: number;
  close(): Promise<void>;
}

/** HTTP statuses by error code; anything not listed that fails is a 500. */
const STATUS: Partial<Record<ErrorCode, number>> = {
  invalid_args: 400,
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  unknown_call: 404,
  unknown_item: 404,
  no_such_account: 404,
  no_brief: 404,
  method: 405,
  too_large: 413,
  not_votable: 409,
  cannot_mute: 409,
  nothing_to_undo: 409,
  not_muted: 409,
  invalid_settings: 422,
  sample_day: 409,
  mode_fixed: 409,
};

export function httpStatus(envelope: Envelope): number {
  return envelope.ok ? 200 : (STATUS[envelope.error.code] ?? 500);
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** The API map over HTTP (POST /api/<call>), its events over SSE (/api/events), and the built renderer. */
export async function startServe(options: ServeOptions): Promise<RunningServer> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  const hub = new EventHub();
  const unwatch = options.subscribe((event) => {
    hub.send(event);
  });
  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendEnvelope(res, 500, failure(error));
      else res.end();
    });
  });
  server.requestTimeout = 0; // a refresh call may run for minutes
  server.headersTimeout = 10_000;

  /** Set once listening: the Host values this server answers (DNS rebinding gets nothing). */
  let allowedHosts = new Set<string>();

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!allowedHosts.has((req.headers.host ?? '').toLowerCase())) {
      res.writeHead(421, { ...SECURITY_HEADERS, 'content-type': 'text/plain; charset=utf-8' });
      res.end('Misdirected request: open the address `daily-brief serve` printed.');
      return;
    }
    const url = new URL(req.url ?? '/', 'http://serve.invalid');
    if (!url.pathname.startsWith('/api/')) {
      await handlePage(req, res, url);
      return;
    }
    // The token travels in a header only: other sites cannot set it, and no cookie carries it to other ports.
    if (!authorized(req, token)) {
      sendEnvelope(res, 401, {
        ok: false,
        error: {
          code: 'unauthorized',
          message: 'this address needs the access token',
          hint: 'Open the full link that `daily-brief serve` printed, or run it again',
        },
      });
      return;
    }
    const origin = req.headers.origin;
    if (origin !== undefined && !allowedHosts.has(originHost(origin))) {
      sendEnvelope(res, 403, {
        ok: false,
        error: { code: 'forbidden', message: 'calls from another site are refused' },
      });
      return;
    }
    if (url.pathname === '/api/events') {
      hub.open(res, SECURITY_HEADERS);
      return;
    }
    await handleCall(req, res, url.pathname.slice('/api/'.length), options.dispatch);
  }

  /** The page shell and its built files: no data in them, so no token needed (the page asks for it). */
  async function handlePage(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendEnvelope(res, 405, { ok: false, error: { code: 'method', message: `${req.method ?? '?'} is not allowed` } });
      return;
    }
    const file = await readStatic(options.rendererDir, url.pathname);
    if (!file) {
      res.writeHead(404, { ...SECURITY_HEADERS, 'content-type': 'text/plain; charset=utf-8' });
      res.end('not found');
      return;
    }
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'content-type': file.type,
      // vite names built assets by their content hash, so a name never changes meaning; the page itself is revalidated.
      'cache-control': url.pathname.startsWith('/assets/') ? 'private, max-age=31536000, immutable' : 'no-cache',
    });
    res.end(req.method === 'HEAD' ? undefined : file.body);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const { names, shown: shownHost } = servedHosts(options.host);
  allowedHosts = new Set(names.map((name) => `${name}:${String(port)}`));
  return {
    // In the fragment: a browser never sends it, to this server or any other; the page moves it to sessionStorage.
    url: `http://${shownHost}:${port}/#token=${token}`,
    token,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        unwatch();
        hub.close();
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}

function authorized(req: IncomingMessage, token: string): boolean {
  const given = req.headers[TOKEN_HEADER];
  if (typeof given !== 'string') return false;
  const bytes = Buffer.from(given);
  const expected = Buffer.from(token);
  return bytes.length === expected.length && timingSafeEqual(bytes, expected);
}

/** `host:port` of an Origin header, or '' when it is not an http origin ("null" from a sandbox or a file). */
function originHost(origin: string): string {
  try {
    const url = new URL(origin);
    if (url.protocol !== 'http:') return '';
    return `${url.hostname}:${url.port || '80'}`.toLowerCase();
  } catch {
    return '';
  }
}

/**
 * Error text without absolute paths: a path names the user's home folder and layout, which no page needs.
 * Only the last part (the file's own name) is kept.
 */
export function scrubPaths(text: string): string {
  return text
    .replace(/(?:[A-Za-z]:)?(?:[\\/][^\s'"()\\/,;]+)+[\\/]([^\s'"()\\/,;]+)/g, '$1')
    .replace(/\n\s*at [^\n]*/g, '');
}

async function handleCall(req: IncomingMessage, res: ServerResponse, name: string, dispatch: Dispatch): Promise<void> {
  if (req.method !== 'POST') {
    sendEnvelope(res, 405, { ok: false, error: { code: 'method', message: 'API calls are POST requests' } });
    return;
  }
  let args: unknown;
  try {
    args = await readJsonBody(req);
  } catch (error) {
    const envelope = failure(error);
    sendEnvelope(res, httpStatus(envelope), envelope);
    return;
  }
  const envelope = await dispatch(name, args);
  sendEnvelope(res, httpStatus(envelope), envelope);
}

async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  const type = req.headers['content-type'] ?? '';
  if (!/^application\/json\b/i.test(type)) {
    throw new AppError('bad_request', 'the body must be JSON (content-type: application/json)');
  }
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (declared > MAX_BODY_BYTES) throw tooLarge();
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > MAX_BODY_BYTES) throw tooLarge();
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (!text) return {};
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new AppError('bad_request', 'the body is not valid JSON', { cause: error });
  }
}

function tooLarge(): AppError {
  return new AppError('too_large', `the request body is larger than ${MAX_BODY_BYTES / 1024} KB`);
}

function sendEnvelope(res: ServerResponse, status: number, envelope: Envelope): void {
  const body: Envelope = envelope.ok
    ? envelope
    : {
        ok: false,
        error: {
          ...envelope.error,
          message: scrubPaths(envelope.error.message),
          ...(envelope.error.hint ? { hint: scrubPaths(envelope.error.hint) } : {}),
        },
      };
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
  });
  res.end(JSON.stringify(body));
}
