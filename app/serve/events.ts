import type { ServerResponse } from 'node:http';
import type { AppEvent } from '../../contract/events.ts';

const HEARTBEAT_MS = 15_000;
/** More than one refresh sends (sources × a few events, phases, model steps). */
const REPLAY_MAX = 500;

/** Server-sent events: every open stream gets every service event, and a comment now and then to stay open. */
export class EventHub {
  private readonly streams = new Set<ServerResponse>();
  private heartbeat: NodeJS.Timeout | undefined;
  /** The running refresh's events so far: a page opened mid-refresh sees its progress from the start. */
  private running: string[] = [];

  open(res: ServerResponse, headers: Record<string, string>): void {
    res.writeHead(200, {
      ...headers,
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
    });
    res.write(`retry: 2000\n\n${this.running.join('')}`);
    this.streams.add(res);
    res.on('close', () => this.streams.delete(res));
    this.heartbeat ??= setInterval(() => {
      for (const stream of this.streams) stream.write(': keep-alive\n\n');
    }, HEARTBEAT_MS).unref();
  }

  send(event: AppEvent): void {
    // Token text streams by the hundred and nothing in the UI shows it.
    if (event.type === 'llm-token') return;
    const frame = `data: ${JSON.stringify(event)}\n\n`;
    for (const stream of this.streams) stream.write(frame);
    // A change of mode ends what was shown: a page opened after it must not replay the other day's progress.
    if (event.type === 'brief-ready' || event.type === 'refresh-failed' || event.type === 'mode') this.running = [];
    else if (this.running.length < REPLAY_MAX) this.running.push(frame);
  }

  get size(): number {
    return this.streams.size;
  }

  close(): void {
    clearInterval(this.heartbeat);
    for (const stream of this.streams) stream.end();
    this.streams.clear();
  }
}
