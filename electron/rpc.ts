import type { ApiCall } from '../contract/calls.ts';
import { AppError } from '../core/errors.ts';
import type { BridgeEvent, Envelope } from './bridge.ts';
import { failure } from '../contract/envelope.ts';
import type { SecretReply, SecretRequest } from './remote-secrets.ts';

/** Main to the core process. */
export type ToHost =
  | { kind: 'call'; id: number; call: ApiCall; args: unknown }
  /** The machine woke up: catch up if the daily time passed while it slept. */
  | { kind: 'resume' }
  | { kind: 'stop' }
  | SecretReply;

/** The core process to main. */
export type FromHost =
  | { kind: 'result'; id: number; result: Envelope }
  | { kind: 'event'; event: BridgeEvent }
  | { kind: 'stopped' }
  /** What only main can do: safeStorage, and opening the browser (Google's consent page). */
  | SecretRequest
  | { kind: 'open-external'; url: string };

/** Main's side of the requests the core makes of it. */
export interface MainServices {
  secret: (request: SecretRequest) => Promise<SecretReply>;
  openExternal: (url: string) => void;
}

/** A message port either side of the process boundary (MessagePortMain, parentPort, worker MessagePort). */
export interface Port<In, Out> {
  post(message: Out): void;
  onMessage(listener: (message: In) => void): void;
}

/** Main's end: calls with ids and a time limit, events fanned out to listeners. */
export class HostClient {
  private readonly port: Port<FromHost, ToHost>;
  private readonly timeoutMs: (call: ApiCall) => number;
  private nextId = 1;
  private readonly pending = new Map<number, (result: Envelope) => void>();
  private readonly listeners = new Set<(event: BridgeEvent) => void>();
  private stopped: (() => void) | undefined;

  private readonly services: MainServices | undefined;

  constructor(
    port: Port<FromHost, ToHost>,
    options: { timeoutMs: (call: ApiCall) => number; services?: MainServices },
  ) {
    this.port = port;
    this.timeoutMs = options.timeoutMs;
    this.services = options.services;
    port.onMessage((message) => {
      this.receive(message);
    });
  }

  call(call: ApiCall, args: unknown): Promise<Envelope> {
    const id = this.nextId++;
    const limitMs = this.timeoutMs(call);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        // The call and the limit are for a developer (--verbose logs them); the window gets the words.
        const cause = new Error(`${call}: no answer from the core in ${String(limitMs)} ms`);
        resolve(
          failure(
            new AppError('timeout', 'the app did not answer in time', {
              hint: 'Try again; if it keeps happening, restart Daily Brief',
              cause,
            }),
          ),
        );
      }, limitMs);
      this.pending.set(id, (result) => {
        clearTimeout(timer);
        resolve(result);
      });
      this.port.post({ kind: 'call', id, call, args });
    });
  }

  onEvent(listener: (event: BridgeEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  resume(): void {
    this.port.post({ kind: 'resume' });
  }

  /** Asks the core to stop (timers off, refresh aborted, store closed); resolves when it says it has. */
  stop(): Promise<void> {
    return new Promise((resolve) => {
      this.stopped = resolve;
      this.port.post({ kind: 'stop' });
    });
  }

  /** The core process died: every waiting call fails at once instead of timing out. */
  failAll(reason: string): void {
    for (const [id, settleCall] of this.pending) {
      this.pending.delete(id);
      settleCall(failure(new AppError('core_exited', reason)));
    }
    this.stopped?.();
  }

  private receive(message: FromHost): void {
    if (message.kind === 'result') {
      this.pending.get(message.id)?.(message.result);
      this.pending.delete(message.id);
    } else if (message.kind === 'event') {
      for (const listener of this.listeners) listener(message.event);
    } else if (message.kind === 'secret') {
      void this.services?.secret(message).then((reply) => {
        this.port.post(reply);
      });
    } else if (message.kind === 'open-external') {
      this.services?.openExternal(message.url);
    } else {
      this.stopped?.();
    }
  }
}

export interface HostHandlers {
  call(call: ApiCall, args: unknown): Promise<Envelope>;
  resume(): void;
  stop(): Promise<void>;
}

/** The core process's end. */
export function serveHost(
  port: Port<ToHost, FromHost>,
  handlers: HostHandlers,
  options: { secretReply?: (reply: SecretReply) => void } = {},
): void {
  const answering = new Set<Promise<void>>();
  port.onMessage((message) => {
    if (message.kind === 'call') {
      const answer = handlers.call(message.call, message.args).then((result) => {
        port.post({ kind: 'result', id: message.id, result });
      });
      answering.add(answer);
      void answer.finally(() => answering.delete(answer));
    } else if (message.kind === 'resume') handlers.resume();
    else if (message.kind === 'secret-result') options.secretReply?.(message);
    else {
      // Every call in progress gets its answer before main hears "stopped".
      void handlers
        .stop()
        .then(() => Promise.allSettled([...answering]))
        .then(() => {
          port.post({ kind: 'stopped' });
        });
    }
  });
}
