import type { IpcMain, IpcMainInvokeEvent, WebFrameMain } from 'electron';
import { API_CALLS, checkArgs, type ApiCall } from '../contract/calls.ts';
import { AppError, failure, settle, type Envelope } from '../contract/envelope.ts';
import { channelFor } from './bridge.ts';

export { API_CALLS } from '../contract/calls.ts';

/** The frame facts the check needs (WebFrameMain has them; tests pass plain objects). */
export type SenderFrame = Pick<WebFrameMain, 'url'> & { parent: unknown };

/**
 * A call is taken only from the top frame of our own window showing our own page: not from an iframe,
 * not from a page it navigated to (navigation is denied anyway), not from another window.
 */
export function isTrustedSender(frame: SenderFrame | null, appUrl: string): boolean {
  if (!frame || frame.parent !== null) return false;
  let url: URL;
  let app: URL;
  try {
    url = new URL(frame.url);
    app = new URL(appUrl);
  } catch {
    return false;
  }
  // Compared by scheme and host: a custom scheme's URL origin is the opaque "null".
  return url.protocol === app.protocol && url.host === app.host;
}

/** Checks a call's arguments with the contract's schema before anything crosses to the core (which checks again). */
export function validateArgs(call: ApiCall, args: unknown): unknown {
  return checkArgs(call, args);
}

export interface IpcTransport {
  /** The page's URL (app://… when packaged, the dev server's in development). */
  appUrl: () => string;
  /** Forwards a checked call to the core process. */
  forward: (call: ApiCall, args: unknown) => Promise<Envelope>;
}

/** One `ipcMain.handle` per API call, each validating the sender frame and the arguments first. */
export function registerApiHandlers(ipcMain: Pick<IpcMain, 'handle'>, transport: IpcTransport): void {
  for (const call of API_CALLS) {
    ipcMain.handle(channelFor(call), async (event: IpcMainInvokeEvent, args: unknown): Promise<Envelope> => {
      if (!isTrustedSender(event.senderFrame, transport.appUrl())) {
        return failure(new AppError('forbidden', `${call}: refused a call from a frame that is not the app`));
      }
      const checked = await settle(() => Promise.resolve(validateArgs(call, args)));
      if (!checked.ok) return checked;
      return transport.forward(call, checked.value);
    });
  }
}
