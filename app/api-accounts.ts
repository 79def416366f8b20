import type { CheckedArgs } from '../contract/calls.ts';
import type { Account } from '../contract/results.ts';
import type { BriefService } from './service.ts';

/**
 * `accounts/connect` for every provider. Google ends on the consent redirect (the page is announced as a
 * `consent-url` event); the others are checked against their server before anything is saved. The password
 * or ICS link goes from the arguments straight to the secret store: it is never logged nor returned.
 */
export function connectAccount(service: BriefService, args: CheckedArgs<'accounts/connect'>): Promise<Account> {
  const onNotice = (message: string) => {
    service.announce({ type: 'notice', message });
  };
  if (args.provider !== 'google') return service.accounts.connectWithSecret(args, onNotice);
  return service.accounts.connect({
    openBrowser: args.openBrowser,
    onConsentUrl: (url) => {
      service.announce({ type: 'consent-url', url });
    },
    onNotice,
  });
}
