import { join } from 'node:path';
import type { SettingsHere } from '../contract/results.ts';
import type { Handlers } from './dispatch.ts';
import type { BriefService } from './service.ts';
import { describeError } from '../core/errors.ts';
import { SETTINGS_FILE, requestTimeoutMs } from '../core/settings.ts';

/** Look-ups the settings screen makes while someone waits for them. */
const LOOKUP_TIMEOUT_MS = 5000;

type UiCall =
  | 'brief/history'
  | 'settings/get'
  | 'settings/validate'
  | 'settings/save'
  | 'models/list'
  | 'location/search'
  | 'feeds/inspect';

/** Where nothing keeps a schedule and there is no desktop app: a one-off command, or an API in a test. */
export const NOWHERE: SettingsHere = { desktop: false, schedule: false };

/**
 * The calls the UI needs beyond reading and refreshing briefs: history, settings and its look-ups. `here` says
 * which settings apply where the app runs (the schedule, starting at login), so the screen shows only those; the
 * schedule applies too while another process keeps it on the same data folder.
 */
export function uiHandlers(service: BriefService, here: SettingsHere = NOWHERE): Pick<Handlers, UiCall> {
  // Loaded on first use: `show` and the brief reads never pay for the settings writer or the HTTP clients.
  const settingsFile = () => import('../core/settings-file.ts');
  return {
    'brief/history': ({ limit }) => service.history(limit),
    'settings/get': async () => {
      const loaded = await service.settings();
      // The schedule means something here when this app keeps it, or another process on this folder does (the daemon,
      // the desktop app): `serve --no-schedule` next to a running daemon shows it, and the daemon acts on its changes.
      const schedule = here.schedule || service.scheduleKept();
      return {
        settings: loaded.settings,
        path: join(service.dataDir, SETTINGS_FILE),
        here: { ...here, schedule },
        saved: loaded.fromFile,
      };
    },
    'settings/validate': async ({ settings }) => (await settingsFile()).validateSettings(settings),
    'settings/save': async ({ settings }) => (await settingsFile()).saveSettings(service.dataDir, settings),
    'models/list': async () => {
      const { modelChain } = await import('../agents/llm/models.ts');
      const { listModelDetails } = await import('../agents/llm/preflight.ts');
      const { describeModels } = await import('../agents/llm/model-info.ts');
      const [primary] = modelChain((await service.settings()).settings.llm);
      if (!primary) return [];
      const signal = AbortSignal.timeout(LOOKUP_TIMEOUT_MS);
      // Each with what it can do ("qwen3:8b · tools · thinking · 40k context"), asked once per model version.
      return describeModels(
        primary,
        await listModelDetails(primary, signal, LOOKUP_TIMEOUT_MS),
        signal,
        LOOKUP_TIMEOUT_MS,
      );
    },
    'location/search': async ({ query }) => {
      const { settings } = await service.settings();
      const { searchPlaces } = await import('../connectors/weather.ts');
      const timeoutMs = Math.min(requestTimeoutMs(settings), LOOKUP_TIMEOUT_MS);
      return searchPlaces(settings, query, { signal: AbortSignal.timeout(timeoutMs), timeoutMs, count: 8 });
    },
    'feeds/inspect': async ({ url }) => {
      const { settings } = await service.settings();
      const { inspectFeed, problem } = await import('../connectors/feed-inspect.ts');
      const timeoutMs = Math.min(requestTimeoutMs(settings), LOOKUP_TIMEOUT_MS);
      const maxBytes = settings.refresh.maxResponseBytes;
      try {
        const feed = await inspectFeed(url, { signal: AbortSignal.timeout(2 * timeoutMs), timeoutMs, maxBytes });
        return { ok: true, feed };
      } catch (error) {
        // The person adding it reads one sentence; the reason itself goes to the log.
        (await service.log()).info({ reason: describeError(error) }, 'a feed to add could not be read');
        return { ok: false, problem: problem(error) };
      }
    },
  };
}
