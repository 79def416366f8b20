import type { GoogleConnectorDeps } from './google/account-auth.ts';
import { calendarConnector } from './google/calendar.ts';
import { gmailConnector } from './google/gmail.ts';
import { hackerNewsConnector } from './hackernews.ts';
import { rssConnector } from './rss.ts';
import type { Connector } from './types.ts';
import { weatherConnector } from './weather.ts';

/** Every source the app knows. Adding one is a new file and one line here; the workflow does not change. */
export function allConnectors(google?: GoogleConnectorDeps): Connector[] {
  return [rssConnector, hackerNewsConnector, weatherConnector, gmailConnector(google), calendarConnector(google)];
}
