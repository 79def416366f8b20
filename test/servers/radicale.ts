import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, missing, startProcess, stopProcess, waitForPort } from './process.ts';

const RADICALE = process.env.RADICALE_PATH ?? '/usr/bin/radicale';
const START_TIMEOUT_MS = 20_000;

export interface Radicale {
  url: string;
  /** Makes a calendar collection and puts one iCalendar object per entry into it. */
  seed(user: string, calendar: string, objects: { uid: string; ics: string }[]): Promise<void>;
  put(user: string, calendar: string, object: { uid: string; ics: string }): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A real Radicale on a free loopback port, run as the current user, with a throw-away configuration, users file
 * (plain passwords, test only) and collection folder in a temporary directory.
 */
export async function startRadicale(users: Record<string, string>): Promise<Radicale> {
  if (!existsSync(RADICALE)) throw missing('Radicale', RADICALE, 'radicale');
  const dir = mkdtempSync(join(tmpdir(), 'db-radicale-'));
  writeFileSync(
    join(dir, 'users'),
    Object.entries(users)
      .map(([user, password]) => `${user}:${password}\n`)
      .join(''),
  );
  const port = await freePort();
  writeFileSync(
    join(dir, 'config'),
    `[server]
hosts = 127.0.0.1:${String(port)}
[auth]
type = htpasswd
htpasswd_filename = ${dir}/users
htpasswd_encryption = plain
delay = 0
[storage]
filesystem_folder = ${dir}/collections
[rights]
type = owner_only
[logging]
level = warning
mask_passwords = True
[web]
type = none
`,
  );
  let child: ChildProcess | undefined;
  try {
    child = startProcess(RADICALE, ['--config', join(dir, 'config')], { ...process.env, HOME: dir });
    let output = '';
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await waitForPort(port, {
      timeoutMs: START_TIMEOUT_MS,
      child,
      why: () => output.trim().split('\n').slice(-5).join(' | '),
    });
  } catch (error) {
    if (child) await stopProcess(child);
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`Radicale could not start for the tests (${(error as Error).message})`, { cause: error });
  }
  const running = child;
  const url = `http://127.0.0.1:${String(port)}`;
  const call = async (user: string, method: string, path: string, body?: string): Promise<void> => {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: {
        authorization: `Basic ${Buffer.from(`${user}:${users[user] ?? ''}`).toString('base64')}`,
        'content-type': 'text/calendar; charset=utf-8',
      },
      ...(body ? { body } : {}),
    });
    if (response.status >= 300) throw new Error(`Radicale answered ${String(response.status)} to ${method} ${path}`);
    await response.body?.cancel();
  };
  const put = (user: string, calendar: string, object: { uid: string; ics: string }) =>
    call(user, 'PUT', `/${user}/${calendar}/${encodeURIComponent(object.uid)}.ics`, object.ics);
  return {
    url,
    put,
    seed: async (user, calendar, objects) => {
      await call(user, 'MKCALENDAR', `/${user}/${calendar}/`);
      for (const object of objects) await put(user, calendar, object);
    },
    stop: async () => {
      await stopProcess(running);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
