import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { connect, createServer, type AddressInfo } from 'node:net';
import { userInfo } from 'node:os';

/**
 * Shared by the real-server set-ups (Dovecot, Radicale): free loopback ports, waiting for a port to answer, the
 * user the servers run as, and stopping the process that was started (by its pid, nothing else).
 */

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) =>
    server.close(() => {
      resolve();
    }),
  );
  return port;
}

/** Resolves once something accepts connections on the port and (if `greeting`) sends a first line matching it. */
export async function waitForPort(
  port: number,
  options: { timeoutMs: number; child: ChildProcess; greeting?: RegExp; why: () => string },
): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    if (options.child.exitCode !== null || options.child.signalCode !== null) {
      throw new Error(`it exited (${String(options.child.exitCode ?? options.child.signalCode)}): ${options.why()}`);
    }
    if (await answers(port, options.greeting)) return;
    if (Date.now() > deadline) throw new Error(`port ${String(port)} did not answer in time: ${options.why()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function answers(port: number, greeting: RegExp | undefined): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(2000, () => {
      done(false);
    });
    socket.on('error', () => {
      done(false);
    });
    socket.on('connect', () => {
      if (!greeting) done(true);
    });
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString('latin1');
      if (greeting?.test(text)) done(true);
    });
  });
}

export function startProcess(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): ChildProcess {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env });
  child.on('error', () => undefined);
  return child;
}

export async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      resolve();
    }),
  );
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

/** The tail of a file, for saying why a server did not start. */
export function tail(path: string, lines = 8): string {
  if (!existsSync(path)) return '(no log)';
  return readFileSync(path, 'utf8').trim().split('\n').slice(-lines).join(' | ');
}

/**
 * Who the servers' own processes run as. As an ordinary user: that user, for everything. As root (CI runs as
 * root), servers refuse to serve mail as uid 0, so the unprivileged "nobody" does that part.
 */
export function serverUser(): { name: string; uid: number; gid: number; root: boolean } {
  const me = userInfo();
  if (me.uid !== 0) return { name: me.username, uid: me.uid, gid: me.gid, root: false };
  const nobody = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .map((line) => line.split(':'))
    .find((fields) => fields[0] === 'nobody');
  return { name: 'nobody', uid: Number(nobody?.[2] ?? 65534), gid: Number(nobody?.[3] ?? 65534), root: true };
}

/** A real server the tests need: under CI a missing one fails the run; elsewhere too, with the fix. Never a skip. */
export function missing(what: string, path: string, pkg: string): Error {
  return new Error(`${what} is not installed at ${path}: install the Debian package ${pkg} (.ci/run does)`);
}
