import { AppError, unwrap, type Envelope } from '../../../contract/envelope.ts';
import type { Api, ClientEvent, DailyBriefClient } from './types.ts';

export const TOKEN_HEADER = 'x-daily-brief-token';
const RECONNECT_MS = 2000;

export interface HttpClientOptions {
  /** '' for the page's own origin. */
  baseUrl: string;
  token: string;
  fetch?: typeof fetch;
}

/** The API over `daily-brief serve`: POST /api/<call> for calls, a streamed /api/events for progress. */
export function httpClient(options: HttpClientOptions): DailyBriefClient {
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  const headers = { 'content-type': 'application/json', [TOKEN_HEADER]: options.token };

  async function call(name: string, args: unknown): Promise<unknown> {
    let response: Response;
    try {
      response = await doFetch(`${options.baseUrl}/api/${name}`, {
        method: 'POST',
        headers,
        body: JSON.stringify(args ?? {}),
      });
    } catch (error) {
      throw new AppError('offline', 'the app is not answering', {
        hint: 'Check that Daily Brief is still running, then reload the page',
        cause: error,
      });
    }
    let envelope: Envelope;
    try {
      envelope = (await response.json()) as Envelope;
    } catch {
      throw new AppError('bad_response', `the app answered HTTP ${response.status} without a result`, {
        hint: 'Reload the page',
      });
    }
    return unwrap(envelope);
  }

  const events = eventStream(`${options.baseUrl}/api/events`, { [TOKEN_HEADER]: options.token }, doFetch);
  const api = new Proxy({} as Api, {
    get: (_target, name) => (typeof name === 'string' ? (args: unknown) => call(name, args) : undefined),
  });
  return Object.assign(Object.create(api) as Api, {
    onEvent: (l: (event: ClientEvent) => void) => events.subscribe(l),
  });
}

/**
 * Server-sent events read from a streamed fetch rather than EventSource, so the token travels as a header
 * and the same code runs in a browser and in Node. Opened with the first listener, closed with the last.
 */
function eventStream(url: string, headers: Record<string, string>, doFetch: typeof fetch) {
  const listeners = new Set<(event: ClientEvent) => void>();
  let controller: AbortController | undefined;

  async function run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      try {
        const response = await doFetch(url, { headers, signal });
        if (!response.body) throw new Error('no stream');
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          buffer += value;
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            dispatch(buffer.slice(0, end));
            buffer = buffer.slice(end + 2);
          }
        }
      } catch {
        // Dropped or refused: try again shortly, unless we were told to stop.
      }
      await pause(RECONNECT_MS, signal);
    }
  }

  function dispatch(frame: string): void {
    const data = frame
      .split('\n')
      .filter((line) => line.startsWith('data:'))
      .map((line) => line.slice(5).trimStart())
      .join('\n');
    if (!data) return;
    let event: ClientEvent;
    try {
      event = JSON.parse(data) as ClientEvent;
    } catch {
      return;
    }
    for (const listener of listeners) listener(event);
  }

  return {
    subscribe(listener: (event: ClientEvent) => void): () => void {
      listeners.add(listener);
      if (!controller) {
        controller = new AbortController();
        void run(controller.signal);
      }
      return () => {
        listeners.delete(listener);
        if (!listeners.size) {
          controller?.abort();
          controller = undefined;
        }
      };
    },
  };
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
