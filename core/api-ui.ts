import { join } from 'node:path';
import { z } from 'zod';
import type { DescribedModel } from '../agents/llm/model-info.ts';
import type { ResolvedPlace } from '../connectors/weather.ts';
import { call, parseArgs } from './api-helpers.ts';
import type { BriefService } from './service.ts';
import { SETTINGS_FILE, requestTimeoutMs, type Settings } from './settings.ts';
import type { SettingsCheck } from './settings-file.ts';
import type { BriefHistoryEntry } from './store/history.ts';

/** Look-ups the settings screen makes while someone waits for them. */
const LOOKUP_TIMEOUT_MS = 5000;

/** The calls the UI needs beyond reading and refreshing briefs: history, settings and its look-ups. */
export const uiApiArgs = {
  'brief/history': z.object({ limit: z.int().min(1).max(366).default(30) }).strict(),
  'settings/get': z.object({}).strict(),
  'settings/validate': z.object({ settings: z.unknown() }).strict(),
  'settings/save': z.object({ settings: z.unknown() }).strict(),
  'models/list': z.object({}).strict(),
  'location/search': z.object({ query: z.string().trim().min(1, 'type a place name').max(100) }).strict(),
} as const;

export interface UiApiResults {
  'brief/history': BriefHistoryEntry[];
  'settings/get': { settings: Settings; path: string };
  'settings/validate': SettingsCheck;
  'settings/save': SettingsCheck;
  'models/list': DescribedModel[];
  'location/search': ResolvedPlace[];
}

type UiCall = keyof typeof uiApiArgs;
type UiApi = { [C in UiCall]: (args: z.input<(typeof uiApiArgs)[C]>) => Promise<UiApiResults[C]> };

function parse<C extends UiCall>(name: C, args: unknown): z.output<(typeof uiApiArgs)[C]> {
  return parseArgs(name, uiApiArgs[name], args) as z.output<(typeof uiApiArgs)[C]>;
}

export function createUiApi(service: BriefService): UiApi {
  // Loaded on first use: `show` and the brief reads never pay for the settings writer or the HTTP clients.
  const settingsFile = () => import('./settings-file.ts');
  return {
    'brief/history': call((args) => service.history(parse('brief/history', args).limit)),
    'settings/get': call(async (args) => {
      parse('settings/get', args);
      return { settings: (await service.settings()).settings, path: join(service.dataDir, SETTINGS_FILE) };
    }),
    'settings/validate': call(async (args) =>
      (await settingsFile()).validateSettings(parse('settings/validate', args).settings),
    ),
    'settings/save': call(async (args) =>
      (await settingsFile()).saveSettings(service.dataDir, parse('settings/save', args).settings),
    ),
    'models/list': call(async (args) => {
      parse('models/list', args);
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
    }),
    'location/search': call(async (args) => {
      const { query } = parse('location/search', args);
      const { settings } = await service.settings();
      const { searchPlaces } = await import('../connectors/weather.ts');
      const timeoutMs = Math.min(requestTimeoutMs(settings), LOOKUP_TIMEOUT_MS);
      return searchPlaces(settings, query, { signal: AbortSignal.timeout(timeoutMs), timeoutMs, count: 8 });
    }),
  };
}
