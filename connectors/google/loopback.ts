import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AppError } from '../../core/errors.ts';

export interface Loopback {
  redirectUri: string;
  /** Resolves with the authorization code once the browser comes back with the right state. */
  code: Promise<string>;
  close(): Promise<void>;
}

const PAGE_OK = 'Daily Brief is connected. You can close this tab.';

/**
 * The loopback redirect for installed apps (RFC 8252 §7.3): 127.0.0.1 on a random free port, for one request
 * that carries our `state`. Anything else gets a 404 and is ignored, so a stray request cannot end the flow.
 */
export async function startLoopback(options: {
  state: string;
  signal: AbortSignal;
  timeoutMs: number;
}): Promise<Loopback> {
  let settle!: { resolve: (code: string) => void; reject: (error: Error) => void };
  const code = new Promise<string>((resolve, reject) => {
    settle = { resolve, reject };
  });
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== '/oauth2callback' || url.searchParams.get('state') !== options.state) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found');
      return;
    }
    const error = url.searchParams.get('error');
    const value = url.searchParams.get('code');
    res.writeHead(error || !value ? 400 : 200, { 'content-type': 'text/plain; charset=utf-8', connection: 'close' });
    if (error || !value) {
      res.end(`Daily Brief was not connected (${error ?? 'no code'}). You can close this tab.`);
      settle.reject(
        new AppError('consent_refused', `Google did not grant access (${error ?? 'no code in the redirect'})`, {
          hint: 'Run `daily-brief connect google` again and allow read-only access to Gmail and Calendar',
        }),
      );
      return;
    }
    res.end(PAGE_OK);
    settle.resolve(value);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const timer = setTimeout(() => {
    settle.reject(
      new AppError('consent_timeout', `no answer from the browser within ${Math.round(options.timeoutMs / 1000)} s`, {
        hint: 'Run `daily-brief connect google` again and finish the consent in the browser',
      }),
    );
  }, options.timeoutMs);
  const onAbort = (): void => {
    settle.reject(new AppError('aborted', 'connecting was cancelled'));
  };
  options.signal.addEventListener('abort', onAbort, { once: true });
  return {
    redirectUri: `http://127.0.0.1:${port}/oauth2callback`,
    code,
    close: () => {
      clearTimeout(timer);
      options.signal.removeEventListener('abort', onAbort);
      return new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      });
    },
  };
}
