import type { ApiCall } from '../contract/calls.ts';
import type { AppEvent } from '../contract/events.ts';
import type { AppMode } from '../contract/results.ts';
import { AppError } from '../core/errors.ts';
import { createHandlers } from './api.ts';
import type { Handlers } from './dispatch.ts';
import { BriefService, type ServiceOptions } from './service.ts';

/**
 * Where each call goes while the sample day is shown. 'shown': the brief on screen and what acts on it (reads,
 * refresh, votes, ask), answered from the sample day's own store. 'own': the user's own setup, which the sample
 * day never changes (the look in their settings stays theirs). 'change': a change to that setup, refused until the
 * sample day is left, so nothing made up can end up in it. A new call must be placed here before it compiles.
 */
const ROUTES: Record<ApiCall, 'shown' | 'own' | 'change' | 'mode'> = {
  'brief/latest': 'shown',
  'brief/byDate': 'shown',
  'brief/history': 'shown',
  'brief/read': 'shown',
  refresh: 'shown',
  'sources/status': 'shown',
  'refresh/status': 'shown',
  ask: 'shown',
  feedback: 'shown',
  'preferences/get': 'shown',
  'preferences/reset': 'shown',
  'preferences/unmute': 'shown',
  'settings/get': 'own',
  'settings/validate': 'own',
  'models/list': 'own',
  'location/search': 'own',
  'feeds/inspect': 'own',
  doctor: 'own',
  'accounts/list': 'own',
  'settings/save': 'change',
  'accounts/connect': 'change',
  'accounts/disconnect': 'change',
  'demo/status': 'mode',
  'demo/enter': 'mode',
  'demo/leave': 'mode',
};

export interface SampleDayOptions {
  /** The user's own service's options: the sample day shares the data folder (its store goes under demo/). */
  base: ServiceOptions;
  /** To every front end: the sample day's refresh events while it is shown, and each change of mode. */
  emit: (event: AppEvent) => void;
  /** Aborts a sample refresh when the app stops. */
  signal: AbortSignal;
}

/**
 * The sample day inside a running app: a second service, made on first use, with the made-up connectors, settings
 * and clock and a store of its own. While it is shown the calls about the brief on screen go to it; the user's own
 * service, scheduler and settings watcher go on as before. The mode lives in memory only: a restart opens onto
 * the user's own brief, so no one wakes up to a made-up inbox.
 */
export class SampleDay {
  private service: BriefService | undefined;
  private handlers: Handlers | undefined;
  private shown = false;
  private readonly options: SampleDayOptions;

  constructor(options: SampleDayOptions) {
    this.options = options;
  }

  get active(): boolean {
    return this.shown;
  }

  status(): AppMode {
    return { mode: this.shown ? 'sample' : 'own', canLeave: true };
  }

  /** The runtime's handlers for every call: each goes to the user's own handlers or the sample day's. */
  route(own: Handlers): Handlers {
    const routed: Partial<Record<ApiCall, (args: never) => unknown>> = {};
    for (const call of Object.keys(ROUTES) as ApiCall[]) {
      routed[call] = (args: never) => (this.handlerFor(call, own) as (a: never) => unknown)(args);
    }
    return {
      ...(routed as Handlers),
      'demo/status': () => this.status(),
      'demo/enter': () => this.switchTo(true),
      'demo/leave': () => this.switchTo(false),
    };
  }

  /**
   * Whether an event of the user's own service reaches the front ends now. While the sample day is shown, only a
   * new brief does (a notification for the user's own brief); its progress would read as the sample day's.
   */
  passesOwn(event: AppEvent): boolean {
    return !this.shown || event.type === 'brief-ready';
  }

  private handlerFor<C extends ApiCall>(call: C, own: Handlers): Handlers[C] {
    const route = ROUTES[call];
    if (!this.shown || route === 'own' || route === 'mode') return own[call];
    if (route === 'change') {
      throw new AppError('sample_day', 'your settings and accounts are not changed from the sample day', {
        hint: 'Go back to your own brief, then change them',
      });
    }
    return this.sampleHandlers()[call];
  }

  private switchTo(shown: boolean): AppMode {
    if (shown) this.sampleHandlers();
    if (this.shown !== shown) {
      this.shown = shown;
      this.options.emit({ type: 'mode', ...this.status() });
    }
    return this.status();
  }

  private sampleHandlers(): Handlers {
    if (this.handlers) return this.handlers;
    const { dataDir, verbose, memory, embedder, log } = this.options.base;
    // Not the user's connectors, settings, clock or secrets: the sample day brings its own.
    const service = new BriefService({
      dataDir,
      demo: true,
      ...(verbose === undefined ? {} : { verbose }),
      ...(memory === undefined ? {} : { memory }),
      ...(embedder ? { embedder } : {}),
      ...(log ? { log } : {}),
    });
    service.recoverInterrupted();
    service.watch((event) => {
      // A sample refresh still running when the sample day was left ends unheard.
      if (this.shown) this.options.emit(event);
    });
    this.service = service;
    this.handlers = createHandlers(service, {
      refresh: ({ trigger }) => service.refresh({ trigger, signal: this.options.signal }),
    });
    return this.handlers;
  }

  /** A sample refresh under way is awaited (the signal has aborted it), then the store is closed. */
  async stop(): Promise<void> {
    const service = this.service;
    if (!service) return;
    if (service.isRefreshing) await service.refresh({ trigger: 'ui' }).catch(() => undefined);
    service.close();
  }
}
