import { z } from 'zod';
import { AppError } from './errors.ts';
import { issueWords } from './issue-words.ts';
import { desktopSchema, scheduleSchema } from './schedule-settings.ts';
import { systemTimeZone } from './time.ts';
import { caldavSourceSchema, icsSourceSchema, imapSourceSchema } from './settings-accounts.ts';
import { googleSchema, gmailSourceSchema, calendarSourceSchema, secretsSchema } from './settings-google.ts';

export const SETTINGS_FILE = 'settings.json';

function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });

const feedSchema = z.strictObject({
  url: httpUrl,
  category: z.string().min(1).optional(),
  name: z.string().min(1).optional(),
});

export const DEFAULT_FEEDS: z.infer<typeof feedSchema>[] = [
  { url: 'https://feeds.arstechnica.com/arstechnica/index', category: 'tech', name: 'Ars Technica' },
  { url: 'https://www.theverge.com/rss/index.xml', category: 'tech', name: 'The Verge' },
  { url: 'https://www.cnbc.com/id/100003114/device/rss/rss.html', category: 'market', name: 'CNBC Top News' },
  { url: 'https://feeds.content.dowjones.io/public/rss/mw_topstories', category: 'market', name: 'MarketWatch' },
];

export const DEFAULT_LOCATION = { name: 'London', latitude: 51.5072, longitude: -0.1276 };

const locationSchema = z
  .strictObject({
    name: z.string().min(1).default(DEFAULT_LOCATION.name),
    latitude: z.number().min(-90).max(90).optional(),
    longitude: z.number().min(-180).max(180).optional(),
    timezone: z
      .string()
      .refine(isTimeZone, { error: 'must be an IANA time zone such as "Europe/Berlin"' })
      .default(systemTimeZone),
  })
  .refine((l) => (l.latitude === undefined) === (l.longitude === undefined), {
    error: 'give both latitude and longitude, or neither (the name is then looked up)',
  });

const providerSchema = z.enum(['ollama', 'openai-compatible', 'none'], {
  error: 'must be "ollama", "openai-compatible" or "none"',
});

const fallbackSchema = z.strictObject({
  provider: providerSchema.exclude(['none']),
  model: z.string().min(1),
  baseUrl: httpUrl.optional(),
  apiKeyEnv: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name')
    .optional(),
});

export const DEFAULT_MODEL = 'qwen2.5:7b';

const llmSchema = z.strictObject({
  /** "none" writes the extractive brief only. */
  provider: providerSchema.default('ollama'),
  /** Ollama: settings, else $OLLAMA_HOST, else http://127.0.0.1:11434. openai-compatible: required (…/v1). */
  baseUrl: httpUrl.optional(),
  model: z.string().min(1).default(DEFAULT_MODEL),
  embeddingModel: z.string().min(1).default('nomic-embed-text'),
  /** The key is read from this environment variable, so it never sits in settings.json. */
  apiKeyEnv: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name')
    .optional(),
  timeoutMs: z.int().min(1000).max(600_000).default(90_000),
  totalBudgetMs: z.int().min(1000).max(1_800_000).default(240_000),
  contextTokens: z.int().min(2048).max(1_000_000).default(8192),
  promptBudgetTokens: z.int().min(1000).max(1_000_000).default(8000),
  maxSteps: z.int().min(1).max(20).default(6),
  /**
   * The most tokens one reply may have (Ollama num_predict, OpenAI max_tokens), so a small model looping in
   * JSON mode stops at once, not at the time limit. A full day's brief (3 bullets, a 6-sentence summary, a
   * dozen actions, insights and a why-line per item) is about 1,500 tokens; a thinking model's reasoning
   * counts too. Also the room kept free in the context for the reply.
   */
  maxOutputTokens: z.int().min(256).max(32_768).default(2048),
  fallbacks: z.array(fallbackSchema).max(5).default([]),
});

export const settingsSchema = z.strictObject({
  location: locationSchema.default(() => ({
    ...DEFAULT_LOCATION,
    timezone: systemTimeZone(),
  })),
  sources: z
    .strictObject({
      rss: z
        .strictObject({
          enabled: z.boolean().default(true),
          feeds: z.array(feedSchema).default(() => DEFAULT_FEEDS.map((f) => ({ ...f }))),
          maxItemsPerFeed: z.int().min(1).max(200).default(20),
        })
        .prefault({}),
      hackernews: z
        .strictObject({
          enabled: z.boolean().default(true),
          baseUrl: httpUrl.default('https://hacker-news.firebaseio.com/v0'),
          maxStories: z.int().min(1).max(100).default(15),
          concurrency: z.int().min(1).max(32).default(8),
        })
        .prefault({}),
      weather: z
        .strictObject({
          enabled: z.boolean().default(true),
          baseUrl: httpUrl.default('https://api.open-meteo.com/v1'),
          geocodingBaseUrl: httpUrl.default('https://geocoding-api.open-meteo.com/v1'),
          units: z.enum(['metric', 'imperial']).default('metric'),
        })
        .prefault({}),
      gmail: gmailSourceSchema.prefault({}),
      calendar: calendarSourceSchema.prefault({}),
      imap: imapSourceSchema.prefault({}),
      caldav: caldavSourceSchema.prefault({}),
      ics: icsSourceSchema.prefault({}),
    })
    .prefault({}),
  google: googleSchema.prefault({}),
  secrets: secretsSchema.prefault({}),
  llm: llmSchema.prefault({}),
  /** Topics named at set-up; they seed the preference model so the first brief is not flat. */
  interests: z.array(z.string().trim().min(1, 'an interest cannot be empty').max(60)).max(30).default([]),
  memory: z
    .strictObject({
      enabled: z.boolean().default(true),
      /** "auto": Chroma if it can run here, else sqlite-vec. Unset: $DAILY_BRIEF_MEMORY_BACKEND, else auto. */
      backend: z.enum(['auto', 'chroma', 'sqlite-vec']).optional(),
      /** A Chroma server to use; without it the app runs its own on loopback (or falls back to sqlite-vec). */
      chromaUrl: httpUrl.optional(),
      retentionDays: z.int().min(1).max(3650).default(180),
      maxItems: z.int().min(100).max(5_000_000).default(50_000),
    })
    .prefault({}),
  refresh: z
    .strictObject({
      sourceTimeoutMs: z.int().min(100).max(300_000).default(15_000),
      /** Each HTTP request within a source; by default 40% of the source's limit, so one stuck feed or story
       * times out on its own and the rest of the source still arrives. */
      requestTimeoutMs: z.int().min(50).max(300_000).optional(),
      maxResponseBytes: z
        .int()
        .min(1024)
        .max(100 * 1024 * 1024)
        .default(5 * 1024 * 1024),
    })
    .prefault({}),
  schedule: scheduleSchema.prefault({}),
  desktop: desktopSchema.prefault({}),
  ui: z
    .strictObject({
      theme: z.enum(['system', 'light', 'dark']).default('system'),
      /** Compact shows each item as its title and one line; comfortable adds the snippet. */
      density: z.enum(['comfortable', 'compact']).default('comfortable'),
    })
    .prefault({}),
});

export type Settings = z.infer<typeof settingsSchema>;

export function requestTimeoutMs(settings: Settings): number {
  const { sourceTimeoutMs, requestTimeoutMs: explicit } = settings.refresh;
  return Math.min(explicit ?? Math.max(50, Math.round(sourceTimeoutMs * 0.4)), sourceTimeoutMs);
}
export type SettingsInput = z.input<typeof settingsSchema>;
export type FeedSettings = z.infer<typeof feedSchema>;
export type LlmSettings = z.infer<typeof llmSchema>;
export type LlmProviderName = z.infer<typeof providerSchema>;

export interface LoadedSettings {
  settings: Settings;
  /** False when no settings.json exists and public defaults are in use. */
  fromFile: boolean;
  /** Whether the user set a location (otherwise the brief hints at it). */
  locationSet: boolean;
  /** Whether the user named a model provider or model (otherwise a missing model is no fault: briefs are extractive). */
  modelChosen?: boolean;
}

export function parseSettings(raw: unknown, where = SETTINGS_FILE): Settings {
  const result = settingsSchema.safeParse(raw);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue?.path.length ? formatPath(issue.path) : '(top level)';
  const message = issue ? issueWords(issue) : 'is not valid';
  throw new AppError('invalid_settings', `${where}: ${field} ${message}`, {
    hint: 'Fix that field or delete it to use the default',
    cause: result.error,
  });
}

/** `sources.rss.feeds[0].url`, the way people write it in JSON. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (out, key) => (typeof key === 'number' ? `${out}[${key}]` : out ? `${out}.${String(key)}` : String(key)),
    '',
  );
}

/** A field that did not pass, for a form. */
export interface SettingsFieldError {
  /** As people write it in JSON: `sources.rss.feeds[0].url`; "" for the whole object. */
  path: string;
  message: string;
}

export type SettingsCheck = { ok: true } | { ok: false; errors: SettingsFieldError[] };
