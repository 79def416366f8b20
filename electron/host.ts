import { createApi, type ApiCall } from '../app/api.ts';
import { Scheduler, type ScheduledTrigger } from '../app/scheduler.ts';
import type { BriefService } from '../app/service.ts';
import { parseSettings, type LoadedSettings, type Settings } from '../core/settings.ts';
import type { Brief, ProgressEvent, RefreshTrigger } from '../core/types.ts';
import type { BridgeEvent, Envelope } from './bridge.ts';
import { failure, settle } from './envelope.ts';
import { validateArgs } from './ipc.ts';
import type { HostHandlers } from './rpc.ts';

/** Widened to string: the call may not exist in this build's contract yet. */
const SETTINGS_SAVE: string = 'settings/save';

export interface CoreHostOptions {
  service: BriefService;
  loadSettings: () => Promise<LoadedSettings>;
  /** Pushes an event to main (which shows notifications and forwards it to the window). */
  emit: (event: BridgeEvent) => void;
}

/** What the page is told when a brief lands; enough for a notification without a second call. */
export function briefReadyEvent(brief: Brief, trigger: RefreshTrigger): BridgeEvent {
  return {
    type: 'brief-ready',
    briefId: brief.id,
    date: brief.date,
    generatedAt: brief.generatedAt,
    dataAsOf: brief.dataAsOf,
    timezone: brief.timezone,
    trigger,
    headline: brief.tldr[0]?.text ?? '',
  };
}

/**
 * The core side of the desktop app, in its own process: the one API, the scheduler, and the events.
 * Every refresh, whoever asked (window, tray, schedule), goes through the service's single flight.
 */
export async function startCoreHost(options: CoreHostOptions): Promise<HostHandlers> {
  const { service, emit } = options;
  const api = createApi(service);
  const aborter = new AbortController();
  // Invalid settings must not take the window down with them: the schedule runs on defaults and the
  // page is told, so the user can fix them through settings/save.
  const readSettings = async (): Promise<Settings> => {
    try {
      return (await options.loadSettings()).settings;
    } catch (error) {
      const shown = failure(error);
      emit({ type: 'settings-invalid', message: shown.ok ? '' : shown.error.message });
      return parseSettings({});
    }
  };
  let settings = await readSettings();
  let lastAnnounced: string | undefined;
  const progress = (event: ProgressEvent) => {
    emit(event);
  };

  const refresh = async (trigger: RefreshTrigger): Promise<Brief> => {
    try {
      const brief = await service.refresh({ trigger, onProgress: progress, signal: aborter.signal });
      // Callers that joined one refresh share its brief: announce it once.
      if (brief.id !== lastAnnounced) emit(briefReadyEvent(brief, trigger));
      lastAnnounced = brief.id;
      return brief;
    } catch (error) {
      const shown = failure(error);
      if (!shown.ok) emit({ type: 'refresh-failed', message: shown.error.message });
      throw error;
    }
  };

  const scheduler = new Scheduler({
    schedule: settings.schedule,
    timezone: settings.location.timezone,
    refresh: (trigger: ScheduledTrigger) => refresh(trigger),
    state: service.state,
    latestBriefAt: () => service.latestBrief()?.generatedAt,
  });
  const announceSettings = () => {
    emit({ type: 'settings', desktop: settings.desktop, nextRefreshAt: scheduler.nextRunAt()?.toISOString() });
  };
  void scheduler.start();
  announceSettings();

  const settingsSaved = async () => {
    settings = await readSettings();
    scheduler.update(settings.schedule, settings.location.timezone);
    announceSettings();
  };

  return {
    call: async (call: ApiCall, args: unknown): Promise<Envelope> => {
      if (call === 'refresh') {
        return settle(() => refresh((validateArgs('refresh', args) as { trigger: RefreshTrigger }).trigger));
      }
      const result = await settle(() => (api[call] as (a: unknown) => Promise<unknown>)(args));
      // A save that went through may move the schedule or the start-at-login choice.
      if (call === SETTINGS_SAVE && result.ok && (result.value as { ok?: boolean }).ok) await settingsSaved();
      return result;
    },
    resume: () => {
      void scheduler.catchUp();
    },
    stop: async () => {
      aborter.abort(new Error('the app is quitting'));
      await scheduler.stop();
      // Joining the single flight is how to wait for a refresh someone else started; it is aborted.
      if (service.isRefreshing) await service.refresh({ trigger: 'ui' }).catch(() => undefined);
      service.close();
    },
  };
}
