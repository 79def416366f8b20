import type { BriefService } from './service.ts';
import { apiOver, createDispatch, type Handlers } from './dispatch.ts';
import type { Api } from '../contract/calls.ts';
import type { SettingsHere } from '../contract/results.ts';
import { uiHandlers } from './api-ui.ts';
import { connectAccount } from './api-accounts.ts';
import { fixedModeHandlers } from './api-mode.ts';

export type { Api, ApiArgs, ApiCall, ApiResults } from '../contract/calls.ts';

/**
 * The calls over the service. A runtime overrides some (refresh goes through its single flight and events) and
 * says what applies where it runs (`here`: the schedule, starting at login).
 */
export function createHandlers(
  service: BriefService,
  overrides: Partial<Handlers> = {},
  here?: SettingsHere,
): Handlers {
  return {
    'brief/latest': () => service.latestBrief() ?? null,
    'brief/byDate': ({ date }) => service.briefForDate(date) ?? null,
    'brief/read': ({ id }) => ({ firstRead: service.markRead(id) }),
    refresh: ({ trigger }) => service.refresh({ trigger }),
    'sources/status': () => service.sources(),
    'refresh/status': () => service.refreshStatus(),
    ask: ({ question }) => service.ask(question),
    ...uiHandlers(service, here),
    feedback: ({ itemId, action, scope, value }) =>
      service.feedback({ itemId, action, ...(scope ? { scope } : {}), ...(value ? { value } : {}) }),
    'preferences/get': () => service.learnedPreferences(),
    'preferences/reset': () => service.resetPreferences(),
    'preferences/unmute': (mute) => service.unmute(mute),
    // Loaded on demand: it pulls in the connectors and the LLM client, which a brief read should not pay for.
    // With the front end's own secret store, so "connected here" means what `accounts/list` says it means.
    doctor: async () =>
      (await import('./doctor.ts')).runDoctor({
        dataDir: service.dataDir,
        ...(service.secrets ? { secrets: service.secrets } : {}),
      }),
    'accounts/list': () =>
      service.accounts.listHere({
        onNotice: (message) => {
          service.announce({ type: 'notice', message });
        },
      }),
    'accounts/connect': (args) => connectAccount(service, args),
    'accounts/disconnect': (args) =>
      service.accounts.disconnect('account' in args ? args.account : `${args.provider}:${args.address}`, (message) => {
        service.announce({ type: 'notice', message });
      }),
    ...fixedModeHandlers(service),
    ...overrides,
  };
}

/** The API in-process, through the same dispatch as every transport (tests, scripts). */
export function createApi(service: BriefService): Api {
  return apiOver(createDispatch(createHandlers(service)));
}
