import type { GoogleConnectorDeps } from './google/account-auth.ts';
import { caldavConnector } from './calendars/caldav.ts';
import { icsConnector } from './calendars/ics.ts';
import { calendarConnector } from './google/calendar.ts';
import { gmailConnector } from './google/gmail.ts';
import { hackerNewsConnector } from './hackernews.ts';
import { imapConnector } from './imap/connector.ts';
import { rssConnector } from './rss.ts';
import type { Connector } from './types.ts';
import { weatherConnector } from './weather.ts';

/** The sources that need no account: settings alone turn them on or off. */
export function settingsConnectors(): Connector[] {
  return [rssConnector, hackerNewsConnector, weatherConnector];
}

/** Every source the app knows. Adding one is a new file and one line here; the workflow does not change. */
export function allConnectors(accounts?: GoogleConnectorDeps): Connector[] {
  return [
    ...settingsConnectors(),
    gmailConnector(accounts),
    calendarConnector(accounts),
    imapConnector(accounts),
    caldavConnector(accounts),
    icsConnector(accounts),
  ];
}
