import type { Account } from '../../core/accounts.ts';
import { AppError } from '../../core/errors.ts';
import { safeHost } from '../../core/http.ts';
import { CHECK_TIMEOUT_MS, chooseName, saveAccount, type ConnectDeps } from '../accounts/save.ts';
import { davClient, davProblem, eventCalendars } from './caldav.ts';
import { address, parseCalendar } from './ical-events.ts';
import { fetchIcs, icsUrl } from './ics.ts';

const CHECK_MAX_BYTES = 20 * 1024 * 1024;

export interface CaldavConnectOptions {
  url: string;
  user: string;
  name?: string;
}

/** Logs in, finds the calendars and the owner's addresses; only then are the account and password saved. */
export async function connectCaldav(
  deps: ConnectDeps,
  options: CaldavConnectOptions,
  password: string,
): Promise<Account> {
  const url = options.url.trim();
  const user = options.user.trim();
  if (!/^https?:\/\//i.test(url) || !user) {
    throw new AppError('bad_account', 'a CalDAV account needs --url (http or https) and --user', {
      hint: 'e.g. daily-brief connect caldav --url https://caldav.fastmail.com --user you@fastmail.com',
    });
  }
  if (!password)
    throw new AppError('no_password', 'no password was given', { hint: 'Type it at the prompt, or pipe it in' });
  const config = { url, user, owners: [] as string[] };
  const limits = {
    signal: deps.signal ?? new AbortController().signal,
    timeoutMs: CHECK_TIMEOUT_MS,
    maxBytes: CHECK_MAX_BYTES,
  };
  const client = await davClient(config, password, limits);
  const calendars = await eventCalendars(client, config);
  if (!calendars.length) {
    throw new AppError('no_calendar', `${safeHost(url)} has no event calendar for ${user}`, {
      hint: 'Check the URL; it is the server address or the calendar home your provider gives for CalDAV',
    });
  }
  let addresses: string[] = [];
  try {
    // The client fills in the account it logged in with.
    addresses = await client.fetchCalendarUserAddresses({} as Parameters<typeof client.fetchCalendarUserAddresses>[0]);
  } catch (error) {
    // Optional (RFC 6638): without it the user name stands for the owner.
    if (error instanceof AppError) throw davProblem(error, config);
  }
  const owners = new Set(addresses.filter((a) => /^mailto:/i.test(a)).map(address));
  if (user.includes('@')) owners.add(user.toLowerCase());
  return saveAccount(
    deps,
    {
      provider: 'caldav',
      address: user,
      name: chooseName(options.name, user),
      caldav: { url, user, owners: [...owners] },
    },
    password,
  );
}

/** Fetches and parses the calendar once; the URL (often a secret link) is kept only in the secret store. */
export async function connectIcs(deps: ConnectDeps, options: { url: string; name?: string }): Promise<Account> {
  const url = icsUrl(options.url);
  const fetched = await fetchIcs(url, {
    signal: deps.signal ?? new AbortController().signal,
    timeoutMs: CHECK_TIMEOUT_MS,
    maxBytes: CHECK_MAX_BYTES,
  });
  try {
    parseCalendar(fetched?.body ?? '');
  } catch (error) {
    throw new AppError('not_calendar', `the calendar from ${safeHost(url)} could not be read`, {
      hint: 'Use the calendar’s ICS or webcal link',
      cause: error,
    });
  }
  const host = new URL(url).hostname;
  return saveAccount(deps, { provider: 'ics', address: host, name: chooseName(options.name, host) }, url);
}
