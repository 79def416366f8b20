import { AppRuntime, type RuntimeOptions } from '../app/runtime.ts';
import type { ApiCall } from '../contract/calls.ts';
import type { Envelope } from '../contract/envelope.ts';
import type { AppEvent } from '../contract/events.ts';
import type { HostHandlers } from './rpc.ts';

export interface CoreHostOptions {
  /** The runtime's options: data folder, secret store, browser opener (tests add connectors and settings). */
  runtime: RuntimeOptions;
  /** Pushes an event to main (which shows notifications and forwards it to the window). */
  emit: (event: AppEvent) => void;
}

/**
 * The core side of the desktop app, in its own process: the app runtime (one dispatch, the scheduler, the
 * settings watcher, the events) behind the MessagePort. Invalid settings never take the window down: the
 * runtime goes on with defaults or the last good settings and says so in a `settings-invalid` event.
 */
export async function startCoreHost(options: CoreHostOptions): Promise<HostHandlers> {
  const runtime = await AppRuntime.start({ invalidAtStart: 'defaults', ...options.runtime });
  // "Running, with these settings" first; then a settings problem found while starting, replayed to this first
  // subscriber. In that order main can take a later settings-applied as the problem fixed.
  options.emit({
    type: 'settings-applied',
    ...(runtime.nextRefreshAt() ? { nextRefreshAt: runtime.nextRefreshAt()?.toISOString() } : {}),
    desktop: { startAtLogin: runtime.settingsNow().settings.desktop.startAtLogin },
  });
  runtime.subscribe(options.emit);

  return {
    call: (call: ApiCall, args: unknown): Promise<Envelope> => runtime.dispatch(call, args),
    resume: () => {
      runtime.resume();
    },
    stop: () => runtime.stop('the app is quitting'),
  };
}
