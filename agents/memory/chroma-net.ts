import { request } from 'node:http';
import { createServer } from 'node:net';
import { AppError } from '../../core/errors.ts';

/** The loopback side of the Chroma server: the port it listens on and its heartbeat. */

export const HOST = '127.0.0.1';
const HEARTBEAT_TIMEOUT_MS = 1000;

function listen(port: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => {
      resolve(undefined);
    });
    server.listen(port, HOST, () => {
      const address = server.address();
      const bound = typeof address === 'object' && address ? address.port : undefined;
      server.close(() => {
        resolve(bound);
      });
    });
  });
}

export async function freePort(): Promise<number> {
  const port = await listen(0);
  if (!port) throw new AppError('chroma_start', 'Chroma could not start: no free loopback port');
  return port;
}

export async function portIsFree(port: number): Promise<boolean> {
  return (await listen(port)) === port;
}

/** True when Chroma answers its heartbeat. Plain http with no agent: no pooled socket outlives the check. */
export function heartbeat(port: number, timeoutMs = HEARTBEAT_TIMEOUT_MS): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request(
      { host: HOST, port, path: '/api/v2/heartbeat', agent: false, timeout: timeoutMs },
      (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          if (body.length < 4096) body += chunk;
        });
        response.on('end', () => {
          resolve(response.statusCode === 200 && body.includes('heartbeat'));
        });
        response.on('error', () => {
          resolve(false);
        });
      },
    );
    req.on('timeout', () => {
      req.destroy();
    });
    req.on('error', () => {
      resolve(false);
    });
    req.end();
  });
}
