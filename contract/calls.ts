import { z } from 'zod';
import { AppError } from '../core/errors.ts';
import { issueWords } from '../core/issue-words.ts';
import { IMAP_SECURITY, type Account } from '../core/accounts.ts';
import { ITEM_ACTIONS, MUTE_SCOPES } from '../core/feedback.ts';
import type { Settings, SettingsCheck } from '../core/settings.ts';
import type {
  AskResult,
  Brief,
  BriefHistoryEntry,
  DescribedModel,
  ResolvedPlace,
  SourceHealth,
} from '../core/types.ts';
import type {
  AppMode,
  DoctorReport,
  FeedbackResult,
  FeedCheck,
  Preferences,
  RefreshStatus,
  SettingsHere,
} from './results.ts';

/** A password (an app password, usually): checked for presence only; it goes straight to the secret store. */
const password = z.string().min(1, 'give the password (an app password, usually)').max(1000);
const PASSWORD_PROVIDERS = ['imap', 'caldav', 'ics'] as const;
const accountName = z.string().trim().min(1).max(100).optional();

/**
 * The one map of calls the app offers, with each call's argument schema. The CLI, `serve` (HTTP) and
 * Electron IPC all reach the app through `dispatch` in app/, which validates with these schemas, so the
 * same bad call gets the same error everywhere.
 */
export const apiArgs = {
  'brief/latest': z.object({}).strict(),
  'brief/byDate': z.object({ date: z.iso.date({ error: 'must be a real date written YYYY-MM-DD' }) }).strict(),
  'brief/history': z.object({ limit: z.int().min(1).max(366).default(30) }).strict(),
  'brief/read': z.object({ id: z.string().min(1).max(200) }).strict(),
  refresh: z.object({ trigger: z.enum(['ui', 'tray', 'schedule', 'catch-up', 'cli']).default('ui') }).strict(),
  'sources/status': z.object({}).strict(),
  'refresh/status': z.object({}).strict(),
  ask: z.object({ question: z.string().trim().min(1, 'the question is empty').max(1000) }).strict(),
  'settings/get': z.object({}).strict(),
  'settings/validate': z.object({ settings: z.unknown() }).strict(),
  'settings/save': z.object({ settings: z.unknown() }).strict(),
  'models/list': z.object({}).strict(),
  'location/search': z.object({ query: z.string().trim().min(1, 'type a place name').max(100) }).strict(),
  'feeds/inspect': z
    .object({ url: z.url({ protocol: /^https?$/, error: 'give the feed’s web address, starting with https://' }) })
    .strict(),
  feedback: z
    .object({
      itemId: z.string().min(1).max(500),
      action: z.enum(ITEM_ACTIONS),
      scope: z.enum(MUTE_SCOPES).optional(),
      value: z.string().trim().min(1).max(100).optional(),
    })
    .strict(),
  'preferences/get': z.object({}).strict(),
  'preferences/reset': z.object({}).strict(),
  'preferences/unmute': z.object({ scope: z.enum(MUTE_SCOPES), value: z.string().min(1).max(500) }).strict(),
  doctor: z.object({}).strict(),
  'accounts/list': z.object({}).strict(),
  'accounts/connect': z.discriminatedUnion('provider', [
    z
      .object({
        provider: z.literal('google'),
        /** false: only announce the consent URL (a `consent-url` event); the user opens it. */
        openBrowser: z.boolean().default(true),
      })
      .strict(),
    z
      .object({
        provider: z.literal('imap'),
        host: z.string().trim().min(1, 'give the server, e.g. imap.fastmail.com').max(253),
        port: z.int().min(1).max(65535).optional(),
        security: z.enum(IMAP_SECURITY).optional(),
        user: z.string().trim().min(1, 'give the login, usually your address').max(320),
        mailbox: z.string().trim().min(1).max(200).optional(),
        name: accountName,
        password,
      })
      .strict(),
    z
      .object({
        provider: z.literal('caldav'),
        url: z.string().trim().min(1, 'give the server or calendar URL').max(2000),
        user: z.string().trim().min(1, 'give the login, usually your address').max(320),
        name: accountName,
        password,
      })
      .strict(),
    // The link is a secret (whoever has it reads the calendar): it goes to the secret store, never back out.
    z
      .object({
        provider: z.literal('ics'),
        url: z.string().trim().min(1, 'give the calendar link').max(4000),
        name: accountName,
      })
      .strict(),
  ]),
  'accounts/disconnect': z.union(
    [
      z.discriminatedUnion('provider', [
        z.object({ provider: z.literal('google'), address: z.string().trim().min(3) }).strict(),
        /** The name `accounts/list` gives. */
        z.object({ provider: z.enum(PASSWORD_PROVIDERS), address: z.string().trim().min(1).max(500) }).strict(),
      ]),
      /** As the CLI takes it: "imap:you@fastmail.com", or a name or address only one account has. */
      z.object({ account: z.string().trim().min(1, 'name the account').max(500) }).strict(),
    ],
    { error: 'name the account: { account } or { provider, address }' },
  ),
  /** Which brief is shown: the user's own, or the sample day (made-up data in a store of its own). */
  'demo/status': z.object({}).strict(),
  /** Shows the sample day; the user's own briefs, schedule and settings go on untouched. */
  'demo/enter': z.object({}).strict(),
  /** Back to the user's own briefs. */
  'demo/leave': z.object({}).strict(),
} as const;

export interface ApiResults {
  'brief/latest': Brief | null;
  'brief/byDate': Brief | null;
  'brief/history': BriefHistoryEntry[];
  /** Records that a front end showed this brief; `firstRead` is false when one already had. */
  'brief/read': { firstRead: boolean };
  refresh: Brief;
  'sources/status': SourceHealth[];
  'refresh/status': RefreshStatus;
  ask: AskResult;
  /** `saved`: false until the user's settings were first saved (a fresh install runs on the defaults). */
  'settings/get': { settings: Settings; path: string; here: SettingsHere; saved: boolean };
  'settings/validate': SettingsCheck;
  'settings/save': SettingsCheck;
  'models/list': DescribedModel[];
  'location/search': ResolvedPlace[];
  'feeds/inspect': FeedCheck;
  feedback: FeedbackResult;
  'preferences/get': Preferences;
  'preferences/reset': Preferences;
  'preferences/unmute': FeedbackResult;
  doctor: DoctorReport;
  'accounts/list': Account[];
  'accounts/connect': Account;
  'accounts/disconnect': Account[];
  'demo/status': AppMode;
  'demo/enter': AppMode;
  'demo/leave': AppMode;
}

export type ApiCall = keyof typeof apiArgs;
/** What a caller may send (defaults not yet applied). */
export type ApiArgs<C extends ApiCall> = z.input<(typeof apiArgs)[C]>;
/** What the implementation receives, checked and with defaults. */
export type CheckedArgs<C extends ApiCall> = z.output<(typeof apiArgs)[C]>;
/** The client's view: one method per call. */
export type Api = { [C in ApiCall]: (args: ApiArgs<C>) => Promise<ApiResults[C]> };

export const API_CALLS = Object.keys(apiArgs) as ApiCall[];

export function isApiCall(name: string): name is ApiCall {
  return Object.hasOwn(apiArgs, name);
}

/**
 * Calls that may wait on the user, the network or a local model for minutes (a refresh, a consent page in the
 * browser, an answer written on a CPU).
 */
export const LONG_CALLS: readonly ApiCall[] = ['refresh', 'accounts/connect', 'ask'];

/** A call's arguments checked with its schema; a mistake is one AppError line naming the call and the field. */
export function checkArgs<C extends ApiCall>(call: C, args: unknown): CheckedArgs<C> {
  const result = apiArgs[call].safeParse(args ?? {});
  if (result.success) return result.data as CheckedArgs<C>;
  const issue = result.error.issues[0];
  const field = issue?.path.join('.') || 'arguments';
  throw new AppError('invalid_args', `${call}: ${field}: ${issue ? issueWords(issue) : 'is not valid'}`, {
    cause: result.error,
  });
}
