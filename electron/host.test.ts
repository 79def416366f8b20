import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { LAST_RUN_KEY } from '../app/scheduler.ts';
import { BriefService } from '../app/service.ts';
import type { SecretStore } from '../core/secrets/types.ts';
import { AppError } from '../core/errors.ts';
import { parseSettings, type LoadedSettings } from '../core/settings.ts';
import type { Brief } from '../core/types.ts';
import { fakeConnector, newsItem } from '../test/helpers/fake-connectors.ts';
import type { BridgeEvent } from './bridge.ts';
import { startCoreHost } from './host.ts';
import { remoteSecrets, answerSecret } from './remote-secrets.ts';
import { HostClient, serveHost, type FromHost, type Port, type ToHost } from './rpc.ts';

function wrap<In, Out>(port: MessagePort): Port<In, Out> {
  return {
    post: (message) => {
      port.postMessage(message);
    },
    onMessage: (listener) => {
      port.on('message', listener);
    },
  };
}

const settings = (dailyAt = '06:30'): LoadedSettings => ({
  settings: parseSettings({
    location: { name: 'Berlin', latitude: 52.5, longitude: 13.4, timezone: 'Europe/Berlin' },
    schedule: { dailyAt },
  }),
  fromFile: true,
  locationSet: true,
});

describe('the core process, over a real MessagePort', () => {
  const cleanup: (() => void)[] = [];
  afterEach(() => {
    for (const step of cleanup.splice(0)) step();
  });

  async function boot(options: { lastRunAt?: string; load?: () => LoadedSettings; delayMs?: number } = {}) {
    const dir = mkdtempSync(join(tmpdir(), 'db-host-'));
    const news = fakeConnector('wire', { items: [newsItem('wire', 1)], delayMs: options.delayMs ?? 0 });
    const seed = new BriefService({ dataDir: dir, memory: false, settings: settings() });
    if (options.lastRunAt) seed.state.putValue(LAST_RUN_KEY, options.lastRunAt);
    seed.close();
    const { port1, port2 } = new MessageChannel();
    const events: BridgeEvent[] = [];
    const client = new HostClient(wrap(port1), { timeoutMs: () => 10_000 });
    client.onEvent((event) => events.push(event));
    const corePort = wrap<never, never>(port2);
    const handlers = await startCoreHost({
      runtime: { dataDir: dir, memory: false, connectors: [news.connector], readSettings: options.load ?? settings },
      emit: (event) => {
        corePort.post({ kind: 'event', event } as never);
      },
    });
    serveHost(wrap(port2), handlers);
    cleanup.push(() => {
      port1.close();
      rmSync(dir, { recursive: true, force: true });
    });
    cleanup.push(() => void handlers.stop());
    return { client, events, news };
  }

  it('answers calls, checks their arguments again, and streams a refresh’s progress and outcome', async () => {
    const { client, events, news } = await boot({ lastRunAt: new Date().toISOString() });
    expect(await client.call('brief/latest', {})).toEqual({ ok: true, value: null });
    expect(await client.call('refresh', { trigger: 'nonsense' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_args' },
    });
    const refreshed = await client.call('refresh', { trigger: 'ui' });
    expect(refreshed.ok).toBe(true);
    const brief = (refreshed as { value: Brief }).value;
    expect(news.state.calls).toBe(1);
    expect(await client.call('brief/latest', {})).toMatchObject({ ok: true, value: { id: brief.id } });
    await expect.poll(() => events.some((e) => e.type === 'brief-ready'), { timeout: 10_000 }).toBe(true);
    expect(events[0]).toMatchObject({ type: 'settings-applied', desktop: { startAtLogin: false } });
    expect(events.some((e) => e.type === 'source-started' && e.source === 'wire')).toBe(true);
    expect(events.find((e) => e.type === 'brief-ready')).toMatchObject({
      briefId: brief.id,
      date: brief.date,
      dataAsOf: brief.dataAsOf,
      trigger: 'ui',
      timezone: 'Europe/Berlin',
    });
  });

  it('catches up on launch when the daily time was missed, and a tray refresh meanwhile joins it', async () => {
    const { client, events, news } = await boot({ delayMs: 100 });
    const tray = await client.call('refresh', { trigger: 'tray' });
    expect(tray.ok).toBe(true);
    expect(news.state.calls).toBe(1);
    await expect.poll(() => events.filter((e) => e.type === 'brief-ready').length, { timeout: 10_000 }).toBe(1);
    expect(events.find((e) => e.type === 'brief-ready')?.trigger).toBe('catch-up');
    // A resume after that finds the slot covered: no second refresh.
    client.resume();
    await client.call('sources/status', {});
    expect(news.state.calls).toBe(1);
  });

  it('keeps working on invalid settings, on defaults, and says so', async () => {
    const { client, events } = await boot({
      lastRunAt: new Date().toISOString(),
      load: () => {
        throw new AppError('invalid_settings', 'settings.json: schedule.dailyAt must be a 24-hour time');
      },
    });
    expect(await client.call('sources/status', {})).toMatchObject({ ok: true });
    // The port keeps order: what was emitted before that answer has arrived. The problem comes after
    // "settings applied", so a later settings-applied means it was fixed.
    expect(events[0]).toMatchObject({ type: 'settings-applied' });
    expect(events[1]).toEqual({
      type: 'settings-invalid',
      message: 'settings.json: schedule.dailyAt must be a 24-hour time',
      hint: 'The app goes on with the last good settings until the file is fixed',
    });
  });

  it('stops while a refresh runs: the refresh settles, then the core says it has stopped', async () => {
    const { client, news } = await boot({ lastRunAt: new Date().toISOString(), delayMs: 300 });
    const running = client.call('refresh', { trigger: 'ui' });
    await expect.poll(() => news.state.inFlight, { timeout: 10_000 }).toBe(1);
    await client.stop();
    let settled = false;
    void running.then(() => (settled = true));
    // One turn later: the answer came before "stopped", so it has been delivered.
    await new Promise((resolve) => setImmediate(resolve));
    expect(settled).toBe(true);
  });

  it('routes the core’s secret requests and browser opening to main’s services', async () => {
    const { port1, port2 } = new MessageChannel();
    const kept = new Map<string, string>();
    const opened: string[] = [];
    const store: SecretStore = {
      label: 'main',
      get: (key) => Promise.resolve(kept.get(key)),
      has: (key) => Promise.resolve(kept.has(key)),
      set: (key, value) => Promise.resolve(void kept.set(key, value)),
      delete: (key) => Promise.resolve(void kept.delete(key)),
    };
    new HostClient(wrap(port1), {
      timeoutMs: () => 10_000,
      services: { secret: (request) => answerSecret(store, request), openExternal: (url) => opened.push(url) },
    });
    const core = wrap<ToHost, FromHost>(port2);
    const remote = remoteSecrets('via main', (request) => {
      core.post(request);
    });
    const idle = () => Promise.resolve({ ok: true as const, value: null });
    serveHost(
      core,
      { call: idle, resume: () => undefined, stop: () => Promise.resolve() },
      { secretReply: remote.receive },
    );
    await remote.secrets.set('google:me@example.com', 'token');
    expect(kept.get('google:me@example.com')).toBe('token');
    expect(await remote.secrets.get('google:me@example.com')).toBe('token');
    core.post({ kind: 'open-external', url: 'https://accounts.google.com/' });
    await expect.poll(() => opened).toEqual(['https://accounts.google.com/']);
    port1.close();
  });

  it('fails waiting calls at once when the core process dies', async () => {
    const { port1 } = new MessageChannel();
    const client = new HostClient(wrap(port1), { timeoutMs: () => 60_000 });
    const waiting = client.call('brief/latest', {});
    client.failAll('the app’s core stopped (exit code 1)');
    expect(await waiting).toEqual({
      ok: false,
      error: { code: 'core_exited', message: 'the app’s core stopped (exit code 1)' },
    });
    port1.close();
  });

  it('times a call out rather than waiting for ever', async () => {
    const { port1 } = new MessageChannel();
    const client = new HostClient(wrap(port1), { timeoutMs: () => 20 });
    const answer = await client.call('brief/latest', {});
    expect(answer).toMatchObject({ ok: false, error: { code: 'timeout', message: 'the app did not answer in time' } });
    // Words for the window: no call names, no milliseconds.
    expect(JSON.stringify(answer)).not.toMatch(/brief\/latest|\d+ ms|core/);
    port1.close();
  });
});
