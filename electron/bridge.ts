import type { Api, ApiCall } from '../app/api.ts';

/**
 * What the preload shares with main: channel names derive from the call names, and the names come from
 * main (from `apiArgs`) through the window's arguments, so no channel is spelled out twice. Type-only
 * imports here: the sandboxed preload can load nothing but this file and `electron`.
 */
export const CALLS_ARG = '--daily-brief-calls=';
export const EVENT_CHANNEL = 'daily-brief:event';

export function channelFor(call: ApiCall): string {
  return `daily-brief:call:${call}`;
}

export interface WireError {
  code: string;
  message: string;
  hint?: string;
}

export type Envelope<T = unknown> = { ok: true; value: T } | { ok: false; error: WireError };

/** Events pushed to the window: refresh progress and outcomes from the core, and the shell's own. */
export type BridgeEvent = { type: string } & Record<string, unknown>;

export interface DailyBriefBridge extends Api {
  /** Refresh progress, "brief-ready", "open-brief" (a notification was clicked). Returns an unsubscribe. */
  onEvent(listener: (event: BridgeEvent) => void): () => void;
}

/** The slice of ipcRenderer the bridge uses; the event object it passes is never handed to the page. */
export interface RendererIpc {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

const CALL_NAME = /^[a-z]+(\/[a-zA-Z]+)?$/;

/** The call names main put in the window's arguments; anything malformed is dropped. */
export function readCallList(argv: readonly string[]): ApiCall[] {
  const arg = argv.find((a) => a.startsWith(CALLS_ARG));
  if (!arg) return [];
  const parsed: unknown = JSON.parse(arg.slice(CALLS_ARG.length));
  if (!Array.isArray(parsed)) return [];
  return parsed.filter((name): name is ApiCall => typeof name === 'string' && CALL_NAME.test(name));
}

export function callListArg(calls: readonly ApiCall[]): string {
  return `${CALLS_ARG}${JSON.stringify(calls)}`;
}

/** An Error the page can show as it is: the problem, then the fix, on one line. */
function wireFailure(error: WireError): Error {
  const failure = new Error(error.hint ? `${error.message}. ${error.hint}` : error.message);
  failure.name = error.code;
  return failure;
}

/** `window.dailyBrief`: one method per call, each answering the same values as the HTTP client. */
export function buildBridge(calls: readonly ApiCall[], ipc: RendererIpc): DailyBriefBridge {
  const bridge: Record<string, unknown> = {};
  for (const call of calls) {
    bridge[call] = async (args: unknown = {}) => {
      const envelope = (await ipc.invoke(channelFor(call), args)) as Envelope;
      if (envelope.ok) return envelope.value;
      throw wireFailure(envelope.error);
    };
  }
  bridge.onEvent = (listener: (event: BridgeEvent) => void) => {
    const relay = (_event: unknown, payload: unknown) => {
      listener(payload as BridgeEvent);
    };
    ipc.on(EVENT_CHANNEL, relay);
    return () => {
      ipc.removeListener(EVENT_CHANNEL, relay);
    };
  };
  return bridge as unknown as DailyBriefBridge;
}
