import type { Api, ApiCall } from '../contract/calls.ts';
import { unwrap, type Envelope } from '../contract/envelope.ts';
import type { AppEvent } from '../contract/events.ts';

export type { Envelope, WireError } from '../contract/envelope.ts';

/**
 * What the preload shares with main: channel names derive from the call names, and the names come from
 * main (from `apiArgs`) through the window's arguments, so no channel is spelled out twice. Type-only
 * imports here: the sandboxed preload can load nothing but this file and `electron`.
 */
export const CALLS_ARG = '--daily-brief-calls=';
export const EVENT_CHANNEL = 'daily-brief:event';
/** Asked by each new subscriber: the problems found before the page listened (core failed, settings invalid). */
export const STANDING_CHANNEL = 'daily-brief:standing';

export function channelFor(call: ApiCall): string {
  return `daily-brief:call:${call}`;
}

/** Events pushed to the window: the contract's AppEvent union. */
export type BridgeEvent = AppEvent;

export interface DailyBriefBridge extends Api {
  /**
   * Refresh progress, "brief-ready", "open-brief" (a notification was clicked). A new listener first hears
   * the standing problems ("core-failed", "settings-invalid") found before it subscribed. Returns an unsubscribe.
   */
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

/** `window.dailyBrief`: one method per call, each answering the same values as the HTTP client. */
export function buildBridge(calls: readonly ApiCall[], ipc: RendererIpc): DailyBriefBridge {
  const bridge: Record<string, unknown> = {};
  for (const call of calls) {
    bridge[call] = async (args: unknown = {}) => {
      // The same AppError (code, message, hint) the HTTP client throws.
      return unwrap((await ipc.invoke(channelFor(call), args)) as Envelope);
    };
  }
  bridge.onEvent = (listener: (event: BridgeEvent) => void) => {
    const relay = (_event: unknown, payload: unknown) => {
      listener(payload as BridgeEvent);
    };
    ipc.on(EVENT_CHANNEL, relay);
    let subscribed = true;
    // A core that failed before the page loaded, or settings found invalid then, would otherwise go unheard.
    void ipc.invoke(STANDING_CHANNEL).then(
      (standing) => {
        if (!subscribed || !Array.isArray(standing)) return;
        for (const event of standing) listener(event as BridgeEvent);
      },
      () => undefined,
    );
    return () => {
      subscribed = false;
      ipc.removeListener(EVENT_CHANNEL, relay);
    };
  };
  return bridge as unknown as DailyBriefBridge;
}
