import { connect, createServer, type AddressInfo, type Socket } from 'node:net';

export interface ImapProxy {
  port: number;
  /** Every command line the client sent, in order ("A3 UID FETCH 1:4 (UID FLAGS)"); LOGIN's arguments hidden. */
  commands: string[];
  /** The command names only ("UID FETCH", "EXAMINE"), in order. */
  names(): string[];
  /** The next FETCH of message sources gets part of the server's answer, then both connections are cut. */
  dropDuringNextBodyFetch(): void;
  close(): Promise<void>;
}

/**
 * A TCP relay between the app and Dovecot that writes down what the client asks (so a test can count FETCHes
 * on the wire, whatever the client library does) and can cut the connection in the middle of a fetch, as a
 * server that goes away mid-refresh does. Plain IMAP only: it has to read the commands.
 */
export async function startImapProxy(target: { host: string; port: number }): Promise<ImapProxy> {
  const commands: string[] = [];
  const sockets = new Set<Socket>();
  let armed = false;
  const server = createServer((client) => {
    const upstream = connect(target.port, target.host);
    sockets.add(client);
    sockets.add(upstream);
    let cutting = false;
    let pending = '';
    const cut = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('data', (chunk: Buffer) => {
      pending += chunk.toString('latin1');
      let end: number;
      while ((end = pending.indexOf('\r\n')) >= 0) {
        const line = pending.slice(0, end);
        pending = pending.slice(end + 2);
        const command = /^(\S+) (UID \w+|\w+)/.exec(line);
        if (!command) continue;
        commands.push(
          /LOGIN|AUTHENTICATE/i.test(command[2] ?? '') ? `${command[1] ?? ''} ${command[2] ?? ''} ***` : line,
        );
        if (armed && /FETCH/i.test(command[2] ?? '') && /BODY\.PEEK\[|BINARY\.PEEK\[/i.test(line)) {
          armed = false;
          cutting = true;
        }
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (!cutting) {
        client.write(chunk);
        return;
      }
      // Half of the first answer, then nothing: the socket closes mid-message.
      client.write(chunk.subarray(0, Math.max(1, Math.floor(chunk.length / 2))), cut);
    });
    for (const socket of [client, upstream]) {
      socket.on('error', cut);
      socket.on('close', () => {
        sockets.delete(socket);
        cut();
      });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    commands,
    names: () =>
      commands.map((line) =>
        line
          .split(' ')
          .slice(1, /^\S+ UID /.test(line) ? 3 : 2)
          .join(' '),
      ),
    dropDuringNextBodyFetch: () => {
      armed = true;
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
