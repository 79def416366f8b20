import { z } from 'zod';
import type { AskResult } from '../agents/memory/ask.ts';
import { call, parseArgs } from './api-helpers.ts';
import { createUiApi, uiApiArgs, type UiApiResults } from './api-ui.ts';
import type { Account } from '../core/accounts.ts';
import { ITEM_ACTIONS, MUTE_SCOPES } from '../agents/preferences/events.ts';
import type { FeedbackResult, Preferences } from './preferences.ts';
import type { BriefService } from './service.ts';
import type { Brief, SourceHealth } from '../core/types.ts';

/**
 * The one map of calls the app offers. The CLI, the `serve` HTTP transport and Electron IPC are thin
 * layers over it; each argument is validated here with zod, so every transport gets the same checks.
 */
export const apiArgs = {
  'brief/latest': z.object({}).strict(),
  'brief/byDate': z.object({ date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a YYYY-MM-DD date') }).strict(),
  refresh: z.object({ trigger: z.enum(['ui', 'tray', 'schedule', 'catch-up', 'cli']).default('ui') }).strict(),
  'sources/status': z.object({}).strict(),
  ask: z.object({ question: z.string().trim().min(1, 'the question is empty').max(1000) }).strict(),
  ...uiApiArgs,
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
  'accounts/list': z.object({}).strict(),
  'accounts/connect': z.object({ provider: z.literal('google') }).strict(),
  'accounts/disconnect': z.object({ provider: z.literal('google'), address: z.string().trim().min(3) }).strict(),
} as const;

export interface ApiResults extends UiApiResults {
  'brief/latest': Brief | null;
  'brief/byDate': Brief | null;
  refresh: Brief;
  'sources/status': SourceHealth[];
  ask: AskResult;
  feedback: FeedbackResult;
  'preferences/get': Preferences;
  'preferences/reset': Preferences;
  'preferences/unmute': FeedbackResult;
  'accounts/list': Account[];
  'accounts/connect': { address: string };
  'accounts/disconnect': Account[];
}

export type ApiCall = keyof typeof apiArgs;
export type ApiArgs<C extends ApiCall> = z.input<(typeof apiArgs)[C]>;
export type Api = { [C in ApiCall]: (args: ApiArgs<C>) => Promise<ApiResults[C]> };

function parse<C extends ApiCall>(name: C, args: unknown): z.output<(typeof apiArgs)[C]> {
  return parseArgs(name, apiArgs[name], args) as z.output<(typeof apiArgs)[C]>;
}

export function createApi(service: BriefService): Api {
  return {
    'brief/latest': call((args) => {
      parse('brief/latest', args);
      return service.latestBrief() ?? null;
    }),
    'brief/byDate': call((args) => service.briefForDate(parse('brief/byDate', args).date) ?? null),
    refresh: call((args) => service.refresh({ trigger: parse('refresh', args).trigger })),
    'sources/status': call((args) => {
      parse('sources/status', args);
      return service.sources();
    }),
    ask: call((args) => service.ask(parse('ask', args).question)),
    ...createUiApi(service),
    feedback: call((args) => {
      const { itemId, action, scope, value } = parse('feedback', args);
      return service.feedback({ itemId, action, ...(scope ? { scope } : {}), ...(value ? { value } : {}) });
    }),
    'preferences/get': call((args) => {
      parse('preferences/get', args);
      return service.learnedPreferences();
    }),
    'preferences/reset': call((args) => {
      parse('preferences/reset', args);
      return service.resetPreferences();
    }),
    'preferences/unmute': call((args) => service.unmute(parse('preferences/unmute', args))),
    'accounts/list': call((args) => {
      parse('accounts/list', args);
      return service.accounts.list();
    }),
    // The transport has no terminal: the consent page opens in the system browser, and the call ends on the redirect.
    'accounts/connect': call((args) => {
      parse('accounts/connect', args);
      return service.accounts.connect({ openBrowser: true, onConsentUrl: () => undefined });
    }),
    'accounts/disconnect': call((args) => service.accounts.disconnect(parse('accounts/disconnect', args).address)),
  };
}
