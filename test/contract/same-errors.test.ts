import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppRuntime } from '../../app/runtime.ts';
import { startServe, TOKEN_HEADER, type RunningServer } from '../../app/serve/server.ts';
import type { ApiCall } from '../../contract/calls.ts';
import type { Envelope } from '../../contract/envelope.ts';
import { channelFor } from '../../electron/bridge.ts';
import { startCoreHost } from '../../electron/host.ts';
import { registerApiHandlers } from '../../electron/ipc.ts';
import type { HostHandlers } from '../../electron/rpc.ts';
import { runCli } from '../helpers/cli.ts';

/**
 * One bad call, three front ends: the CLI (a real process), HTTP (a real `serve` over the runtime's dispatch)
 * and IPC (main's handler, then the core host's dispatch). Each must give the same code, message and hint.
 */
const CASES: { name: string; cli: string[]; call: ApiCall; args: unknown; code: string }[] = [
  {
    name: 'an empty question',
    cli: ['ask', '--demo', '   '],
    call: 'ask',
    args: { question: '   ' },
    code: 'invalid_args',
  },
  {
    name: 'a vote on an item that does not exist',
    cli: ['feedback', '--demo', 'rss:no-such-item', 'up'],
    call: 'feedback',
    args: { itemId: 'rss:no-such-item', action: 'up' },
    code: 'unknown_item',
  },
  {
    name: 'an item id past the size limit',
    cli: ['feedback', '--demo', 'x'.repeat(600), 'down'],
    call: 'feedback',
    args: { itemId: 'x'.repeat(600), action: 'down' },
    code: 'invalid_args',
  },
  {
    name: 'an address too short to be one',
    cli: ['disconnect', 'google', 'x'],
    call: 'accounts/disconnect',
    args: { provider: 'google', address: 'x' },
    code: 'invalid_args',
  },
];

let dir: string;
let runtime: AppRuntime;
let server: RunningServer;
let core: HostHandlers;
const ipcHandlers = new Map<string, (event: IpcMainInvokeEvent, args: unknown) => Promise<Envelope>>();

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'db-same-errors-'));
  // A sample day in the store, so that item look-ups reach the app's own checks.
  expect((await runCli(['--data-dir', dir, 'refresh', '--demo', '--json'])).code).toBe(0);
  runtime = AppRuntime.open({ dataDir: dir, demo: true, memory: false });
  server = await startServe({
    dispatch: runtime.dispatch,
    subscribe: (listener) => runtime.subscribe(listener),
    rendererDir: dir,
    host: '127.0.0.1',
    port: 0,
  });
  core = await startCoreHost({
    runtime: { dataDir: dir, demo: true, memory: false, schedule: false },
    emit: () => undefined,
  });
  const ipcMain = {
    handle: (channel: string, fn: (event: IpcMainInvokeEvent, args: unknown) => Promise<Envelope>) => {
      ipcHandlers.set(channel, fn);
    },
  } as unknown as Pick<IpcMain, 'handle'>;
  registerApiHandlers(ipcMain, { appUrl: () => 'app://daily-brief/', forward: (call, args) => core.call(call, args) });
}, 60_000);

afterAll(async () => {
  await server.close();
  await runtime.stop();
  await core.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function overHttp(call: ApiCall, args: unknown): Promise<Envelope> {
  const response = await fetch(`http://127.0.0.1:${server.port}/api/${call}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [TOKEN_HEADER]: server.token },
    body: JSON.stringify(args),
  });
  return (await response.json()) as Envelope;
}

function overIpc(call: ApiCall, args: unknown): Promise<Envelope> {
  const handler = ipcHandlers.get(channelFor(call));
  if (!handler) throw new Error(`no IPC handler for ${call}`);
  const event = { senderFrame: { url: 'app://daily-brief/index.html', parent: null } } as IpcMainInvokeEvent;
  return handler(event, args);
}

describe('the same bad call, from every front end', () => {
  it.each(CASES)('$name: same code, message and hint over HTTP, IPC and the CLI', async ({ cli, call, args, code }) => {
    const http = await overHttp(call, args);
    const ipc = await overIpc(call, args);
    expect(http.ok).toBe(false);
    if (http.ok) return;
    expect(http.error.code).toBe(code);
    expect(ipc).toEqual(http);
    const shown = await runCli(['--data-dir', dir, ...cli]);
    expect(shown.code).toBe(1);
    const line = http.error.hint ? `${http.error.message}. ${http.error.hint}` : http.error.message;
    expect(shown.stderr.trim()).toBe(`daily-brief: ${line}`);
  });

  it('an unknown call is the same over HTTP and in-process', async () => {
    const http = await overHttp('no/such' as ApiCall, {});
    expect(http).toEqual(await runtime.dispatch('no/such', {}));
    expect(http).toMatchObject({ ok: false, error: { code: 'unknown_call' } });
  });
});
