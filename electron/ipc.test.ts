import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { apiArgs, type ApiCall } from '../contract/calls.ts';
import { channelFor, type Envelope } from './bridge.ts';
import { API_CALLS, isTrustedSender, registerApiHandlers, validateArgs } from './ipc.ts';

const APP = 'app://daily-brief/index.html';
const topFrame = { url: 'app://daily-brief/index.html', parent: null };

function register() {
  const handlers = new Map<string, (event: IpcMainInvokeEvent, args: unknown) => Promise<Envelope>>();
  const ipcMain = {
    handle: (channel: string, fn: (event: IpcMainInvokeEvent, args: unknown) => Promise<Envelope>) => {
      handlers.set(channel, fn);
    },
  } as unknown as Pick<IpcMain, 'handle'>;
  const forward = vi.fn((call: ApiCall, args: unknown) =>
    Promise.resolve<Envelope>({ ok: true, value: { call, args } }),
  );
  registerApiHandlers(ipcMain, { appUrl: () => APP, forward });
  const invoke = (call: ApiCall, args: unknown, frame: unknown = topFrame) => {
    const handler = handlers.get(channelFor(call));
    if (!handler) throw new Error(`no handler for ${call}`);
    return handler({ senderFrame: frame } as IpcMainInvokeEvent, args);
  };
  return { handlers, forward, invoke };
}

describe('sender frame validation', () => {
  it('trusts only the top frame of our own page', () => {
    expect(isTrustedSender(topFrame, APP)).toBe(true);
    expect(isTrustedSender({ url: 'app://daily-brief/settings', parent: null }, APP)).toBe(true);
    expect(isTrustedSender(null, APP)).toBe(false);
    expect(isTrustedSender({ url: 'app://daily-brief/index.html', parent: {} }, APP)).toBe(false);
    expect(isTrustedSender({ url: 'app://other/index.html', parent: null }, APP)).toBe(false);
    expect(isTrustedSender({ url: 'https://daily-brief/index.html', parent: null }, APP)).toBe(false);
    expect(isTrustedSender({ url: 'file:///tmp/index.html', parent: null }, APP)).toBe(false);
    expect(isTrustedSender({ url: '', parent: null }, APP)).toBe(false);
    // Development: the dev server's origin, port included.
    expect(isTrustedSender({ url: 'http://localhost:5173/', parent: null }, 'http://localhost:5173')).toBe(true);
    expect(isTrustedSender({ url: 'http://localhost:5174/', parent: null }, 'http://localhost:5173')).toBe(false);
  });

  it('refuses calls from any other frame before looking at the arguments', async () => {
    const { invoke, forward } = register();
    for (const frame of [null, { url: APP, parent: {} }, { url: 'https://evil.example/', parent: null }]) {
      const answer = await invoke('brief/latest', {}, frame);
      expect(answer).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    }
    expect(forward).not.toHaveBeenCalled();
  });
});

describe('argument validation', () => {
  it('registers exactly one handler per call of the contract', () => {
    const { handlers } = register();
    expect(API_CALLS).toEqual(Object.keys(apiArgs));
    expect([...handlers.keys()].sort()).toEqual(API_CALLS.map(channelFor).sort());
  });

  it('checks every call’s arguments with its zod schema: unknown keys and wrong types never reach the core', async () => {
    const { invoke, forward } = register();
    for (const call of API_CALLS) {
      const extra = await invoke(call, { injected: '__proto__' });
      expect(extra, call).toMatchObject({ ok: false, error: { code: 'invalid_args' } });
      const wrongType = await invoke(call, 'not an object');
      expect(wrongType, call).toMatchObject({ ok: false, error: { code: 'invalid_args' } });
    }
    expect(forward).not.toHaveBeenCalled();
  });

  it('names the call and the field, in one line', async () => {
    const { invoke } = register();
    expect(await invoke('brief/byDate', { date: '1st of May' })).toEqual({
      ok: false,
      error: { code: 'invalid_args', message: 'brief/byDate: date: must be a real date written YYYY-MM-DD' },
    });
    expect(await invoke('refresh', { trigger: 'rm -rf' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_args' },
    });
    expect(() => validateArgs('ask', { question: '   ' })).toThrow('ask: question: the question is empty');
  });

  it('forwards what the schema produced, defaults applied', async () => {
    const { invoke, forward } = register();
    expect(await invoke('refresh', undefined)).toEqual({
      ok: true,
      value: { call: 'refresh', args: { trigger: 'ui' } },
    });
    await invoke('brief/byDate', { date: '2026-12-01' });
    await invoke('ask', { question: '  when is the review? ' });
    expect(forward.mock.calls).toEqual([
      ['refresh', { trigger: 'ui' }],
      ['brief/byDate', { date: '2026-12-01' }],
      ['ask', { question: 'when is the review?' }],
    ]);
  });
});
