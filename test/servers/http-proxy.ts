import { createServer, request, type IncomingMessage } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface HttpProxy {
  url: string;
  /** "METHOD path" of every request, in order. */
  requests: string[];
  /** From now on every request is answered by closing the connection, as a server that went down. */
  goDown(): void;
  close(): Promise<void>;
}

/** A relay in front of a real HTTP server that writes down each request, so a test can count them on the wire. */
export async function startHttpProxy(target: string): Promise<HttpProxy> {
  const base = new URL(target);
  const requests: string[] = [];
  const sockets = new Set<Socket>();
  let down = false;
  const server = createServer((req: IncomingMessage, res) => {
    requests.push(`${req.method ?? 'GET'} ${req.url ?? '/'}`);
    if (down) {
      req.socket.destroy();
      return;
    }
    const upstream = request(
      {
        host: base.hostname,
        port: base.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: base.host },
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => req.socket.destroy());
    req.pipe(upstream);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`,
    requests,
    goDown: () => {
      down = true;
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) =>
        server.close(() => {
          resolve();
        }),
      );
    },
  };
}
