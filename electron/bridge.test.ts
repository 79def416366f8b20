import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ApiCall } from '../app/api.ts';
import {
  buildBridge,
  callListArg,
  channelFor,
  EVENT_CHANNEL,
  readCallList,
  STANDING_CHANNEL,
  type RendererIpc,
} from './bridge.ts';
import { API_CALLS } from './ipc.ts';

function fakeIpc(answer: (channel: string, args: unknown) => unknown) {
  const listeners = new Map<string, Set<(event: unknown, ...args: unknown[]) => void>>();
  const invoke = vi.fn((channel: string, args: unknown) => Promise.resolve(answer(channel, args)));
  const ipc: RendererIpc = {
    invoke,
    on: (channel, listener) => listeners.set(channel, (listeners.get(channel) ?? new Set()).add(listener)),
    removeListener: (channel, listener) => listeners.get(channel)?.delete(listener),
  };
  const emit = (channel: string, payload: unknown) => {
    for (const listener of listeners.get(channel) ?? []) listener({ sender: 'the ipcRenderer itself' }, payload);
  };
  return { ipc, invoke, emit, listeners };
}

describe('window.dailyBrief', () => {
  it('has one method per call main listed, and onEvent; nothing generic', () => {
    const bridge = buildBridge(readCallList([callListArg(API_CALLS)]), fakeIpc(() => ({ ok: true })).ipc);
    expect(Object.keys(bridge).sort()).toEqual([...API_CALLS, 'onEvent'].sort());
    expect(bridge).not.toHaveProperty('invoke');
    expect(bridge).not.toHaveProperty('send');
  });

  it('answers the value, or rejects with the one-line error and its fix', async () => {
    const { ipc, invoke } = fakeIpc((channel) =>
      channel === channelFor('brief/latest')
        ? { ok: true, value: { id: 'b1' } }
        : { ok: false, error: { code: 'memory_off', message: 'memory is switched off', hint: 'Set memory.enabled' } },
    );
    const bridge = buildBridge(['brief/latest', 'ask'], ipc);
    await expect(bridge['brief/latest']({})).resolves.toEqual({ id: 'b1' });
    // The same AppError the HTTP client throws: code, message and hint kept apart.
    await expect(bridge.ask({ question: 'x' })).rejects.toMatchObject({
      name: 'AppError',
      code: 'memory_off',
      message: 'memory is switched off',
      hint: 'Set memory.enabled',
    });
    expect(invoke.mock.calls).toEqual([
      ['daily-brief:call:brief/latest', {}],
      ['daily-brief:call:ask', { question: 'x' }],
    ]);
  });

  it('hands the page the event payload only, never the IPC event (which would leak ipcRenderer)', () => {
    const { ipc, emit, listeners } = fakeIpc(() => ({ ok: true }));
    const bridge = buildBridge([], ipc);
    const seen: unknown[][] = [];
    const off = bridge.onEvent((...args: unknown[]) => seen.push(args));
    emit(EVENT_CHANNEL, { type: 'brief-ready', briefId: 'b2' });
    expect(seen).toEqual([[{ type: 'brief-ready', briefId: 'b2' }]]);
    off();
    expect(listeners.get(EVENT_CHANNEL)?.size).toBe(0);
  });

  it('gives a new listener the problems found before it subscribed, and only that listener', async () => {
    const failed = { type: 'core-failed', message: 'the app’s core stopped 4 times' };
    const { ipc, invoke } = fakeIpc((channel) => (channel === STANDING_CHANNEL ? [failed] : { ok: true }));
    const bridge = buildBridge([], ipc);
    const early: unknown[] = [];
    bridge.onEvent((event) => early.push(event));
    await vi.waitFor(() => {
      expect(early).toEqual([failed]);
    });
    const late: unknown[] = [];
    const gone: unknown[] = [];
    bridge.onEvent((event) => late.push(event));
    bridge.onEvent((event) => gone.push(event))();
    await vi.waitFor(() => {
      expect(late).toEqual([failed]);
    });
    expect(early).toEqual([failed]);
    expect(gone).toEqual([]);
    expect(invoke.mock.calls.filter(([channel]) => channel === STANDING_CHANNEL)).toHaveLength(3);
  });

  it('reads only well-formed call names from the window arguments', () => {
    expect(readCallList(['--other', callListArg(['brief/latest', 'settings/get'] as ApiCall[])])).toEqual([
      'brief/latest',
      'settings/get',
    ]);
    expect(readCallList(['--daily-brief-calls=["refresh","../x","__proto__/a",1,"a b"]'])).toEqual(['refresh']);
    expect(readCallList(['--daily-brief-calls={"a":1}'])).toEqual([]);
    expect(readCallList([])).toEqual([]);
  });
});

describe('preload', () => {
  afterEach(() => {
    vi.doUnmock('electron');
    vi.resetModules();
  });

  it('exposes window.dailyBrief through contextBridge, and nothing else', async () => {
    const exposeInMainWorld = vi.fn();
    const { ipc } = fakeIpc(() => ({ ok: true, value: null }));
    vi.doMock('electron', () => ({ contextBridge: { exposeInMainWorld }, ipcRenderer: ipc }));
    const argv = process.argv;
    process.argv = [...argv, callListArg(API_CALLS)];
    try {
      await import('./preload.ts');
    } finally {
      process.argv = argv;
    }
    expect(exposeInMainWorld).toHaveBeenCalledTimes(1);
    const [name, api] = exposeInMainWorld.mock.calls[0] as [string, Record<string, unknown>];
    expect(name).toBe('dailyBrief');
    expect(Object.keys(api).sort()).toEqual([...API_CALLS, 'onEvent'].sort());
    expect(Object.values(api).every((value) => typeof value === 'function')).toBe(true);
  });
});
