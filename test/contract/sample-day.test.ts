import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppRuntime } from '../../app/runtime.ts';
import { EventHub } from '../../app/serve/events.ts';
import { startServe, TOKEN_HEADER, type RunningServer } from '../../app/serve/server.ts';
import type { ApiCall } from '../../contract/calls.ts';
import type { Envelope } from '../../contract/envelope.ts';
import type { AppEvent } from '../../contract/events.ts';
import { channelFor } from '../../electron/bridge.ts';
import { startCoreHost } from '../../electron/host.ts';
import { registerApiHandlers } from '../../electron/ipc.ts';
import type { HostHandlers } from '../../electron/rpc.ts';

/**
 * The sample day's calls through both window transports: HTTP (`serve` over a runtime's dispatch) and IPC (main's
 * handler, then the desktop core host). Each front end gets the same values, the same refusals and the mode event.
 */
let dir: string;
let demoDir: string;
let runtime: AppRuntime;
let demoRuntime: AppRuntime;
let server: RunningServer;
let demoServer: RunningServer;
let core: HostHandlers;
const coreEvents: AppEvent[] = [];
const ipcHandlers = new Map<string, (event: IpcMainInvokeEvent, args: unknown) => Promise<Envelope>>();

const SETTINGS = { location: { name: 'Berlin', latitude: 52.5, longitude: 13.4, timezone: 'UTC' } };

function serveOver(over: AppRuntime): Promise<RunningServer> {
  return startServe({
    dispatch: over.dispatch,
    subscribe: (listener) => over.subscribe(listener),
    rendererDir: dir,
    host: '127.0.0.1',
    port: 0,
  });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'db-sample-contract-'));
  demoDir = mkdtempSync(join(tmpdir(), 'db-sample-only-'));
  writeFileSync(join(dir, 'settings.json'), JSON.stringify(SETTINGS));
  runtime = await AppRuntime.start({ dataDir: dir, memory: false, connectors: [], schedule: false });
  demoRuntime = await AppRuntime.start({ dataDir: demoDir, demo: true, memory: false, schedule: false });
  [server, demoServer] = await Promise.all([serveOver(runtime), serveOver(demoRuntime)]);
  core = await startCoreHost({
    runtime: { dataDir: dir, memory: false, connectors: [], schedule: false },
    emit: (event) => coreEvents.push(event),
  });
  const ipcMain = {
    handle: (channel: string, fn: (event: IpcMainInvokeEvent, args: unknown) => Promise<Envelope>) => {
      ipcHandlers.set(channel, fn);
    },
  } as unknown as Pick<IpcMain, 'handle'>;
  registerApiHandlers(ipcMain, { appUrl: () => 'app://daily-brief/', forward: (call, args) => core.call(call, args) });
}, 60_000);

afterAll(async () => {
  await Promise.all([server.close(), demoServer.close()]);
  await Promise.all([runtime.stop(), demoRuntime.stop(), core.stop()]);
  rmSync(dir, { recursive: true, force: true });
  rmSync(demoDir, { recursive: true, force: true });
});

async function overHttp(call: ApiCall, args: unknown = {}, to = server): Promise<Envelope & { status: number }> {
  const response = await fetch(`http://127.0.0.1:${to.port}/api/${call}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [TOKEN_HEADER]: to.token },
    body: JSON.stringify(args),
  });
  return { ...((await response.json()) as Envelope), status: response.status };
}

async function overIpc(call: ApiCall, args: unknown = {}): Promise<Envelope & { status: number }> {
  const handler = ipcHandlers.get(channelFor(call));
  if (!handler) throw new Error(`no IPC handler for ${call}`);
  const event = { senderFrame: { url: 'app://daily-brief/index.html', parent: null } } as IpcMainInvokeEvent;
  const envelope = await handler(event, args);
  // Statuses are HTTP's; IPC has none, so the comparison below is on the envelope.
  return { ...envelope, status: 0 };
}

/** The first `mode` event on the HTTP event stream. */
async function nextModeEvent(): Promise<AppEvent> {
  const response = await fetch(`http://127.0.0.1:${server.port}/api/events`, {
    headers: { [TOKEN_HEADER]: server.token },
  });
  const reader = (response.body as ReadableStream<Uint8Array>).pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) throw new Error('the event stream ended');
      buffer += value;
      for (const frame of buffer.split('\n\n')) {
        const data = /^data: (.*)$/m.exec(frame)?.[1];
        const event = data ? (JSON.parse(data) as AppEvent) : undefined;
        if (event?.type === 'mode') return event;
      }
    }
  } finally {
    await reader.cancel();
  }
}

const strip = ({ status: _status, ...envelope }: Envelope & { status: number }) => envelope;

describe('the sample day over every window transport', () => {
  it('enters, answers, refuses a change of the user’s setup, and leaves: the same over HTTP and IPC', async () => {
    for (const send of [overHttp, overIpc]) {
      expect(strip(await send('demo/status'))).toEqual({ ok: true, value: { mode: 'own', canLeave: true } });
      expect(strip(await send('demo/enter'))).toEqual({ ok: true, value: { mode: 'sample', canLeave: true } });
      // Entering twice changes nothing.
      expect(strip(await send('demo/enter'))).toEqual({ ok: true, value: { mode: 'sample', canLeave: true } });
      expect(strip(await send('demo/status'))).toEqual({ ok: true, value: { mode: 'sample', canLeave: true } });
    }
    const http = await overHttp('settings/save', { settings: SETTINGS });
    expect(http.status).toBe(409);
    expect(http).toMatchObject({ ok: false, error: { code: 'sample_day' } });
    expect(strip(await overIpc('settings/save', { settings: SETTINGS }))).toEqual(strip(http));
    // The user's own settings still answer.
    expect(await overHttp('settings/get')).toMatchObject({ ok: true, value: { settings: SETTINGS } });

    for (const send of [overHttp, overIpc]) {
      expect(strip(await send('demo/leave'))).toEqual({ ok: true, value: { mode: 'own', canLeave: true } });
    }
    const modes = coreEvents.flatMap((e) => (e.type === 'mode' ? [e.mode] : []));
    expect(modes).toEqual(['sample', 'own']);
  });

  it('tells every open page when the mode changes', async () => {
    const heard = nextModeEvent();
    // The stream is open before the change.
    await new Promise((resolve) => setTimeout(resolve, 100));
    await overHttp('demo/enter');
    expect(await heard).toEqual({ type: 'mode', mode: 'sample', canLeave: true });
    await overHttp('demo/leave');
  });

  it('checks the arguments like any call', async () => {
    const http = await overHttp('demo/enter', { now: true });
    expect(http.status).toBe(400);
    expect(http).toMatchObject({
      ok: false,
      error: { code: 'invalid_args', message: 'demo/enter: arguments: has a field it does not know: now' },
    });
    expect(strip(await overIpc('demo/enter', { now: true }))).toEqual(strip(http));
  });

  it('has no way out in an app started on the sample day only', async () => {
    expect(await overHttp('demo/status', {}, demoServer)).toMatchObject({
      ok: true,
      value: { mode: 'sample', canLeave: false },
    });
    const leave = await overHttp('demo/leave', {}, demoServer);
    expect(leave.status).toBe(409);
    expect(leave).toMatchObject({
      ok: false,
      error: {
        code: 'mode_fixed',
        message: 'this app was started on the sample day only',
        hint: 'Start Daily Brief without --demo for your own brief',
      },
    });
  });
});

describe('the event stream across a change of mode', () => {
  it('does not replay the other day’s refresh to a page opened after the change', () => {
    const hub = new EventHub();
    const page = () => {
      let written = '';
      const res = {
        writeHead: () => res,
        write: (chunk: string) => {
          written += chunk;
          return true;
        },
        on: () => res,
        end: () => undefined,
      } as unknown as ServerResponse;
      hub.open(res, {});
      return () => written;
    };
    hub.send({ type: 'phase', phase: 'fetch', at: '2026-12-01T06:00:00.000Z' });
    expect(page()()).toContain('"phase":"fetch"');
    hub.send({ type: 'mode', mode: 'own', canLeave: true });
    expect(page()()).toBe('retry: 2000\n\n');
    hub.close();
  });
});
