import type { ReconnectArgs } from '../contract/results.ts';

/**
 * The command that connects a listed account again: its settings as flags; the password is asked for. A calendar
 * link's URL is its secret, kept nowhere but in the secret store, so its command says LINK where the URL goes.
 */
export function connectCommand(args: ReconnectArgs): string {
  const flags = (pairs: [string, string | number | undefined][]) =>
    pairs
      .filter(([, value]) => value !== undefined)
      .map(([flag, value]) => `--${flag} ${shellWord(String(value))}`)
      .join(' ');
  switch (args.provider) {
    case 'google':
      return 'daily-brief connect google';
    case 'imap':
      return `daily-brief connect imap ${flags([
        ['host', args.host],
        ['port', args.port],
        ['security', args.security],
        ['user', args.user],
        ['mailbox', args.mailbox === 'INBOX' ? undefined : args.mailbox],
        ['name', args.name],
      ])}`;
    case 'caldav':
      return `daily-brief connect caldav ${flags([
        ['url', args.url],
        ['user', args.user],
        ['name', args.name],
      ])}`;
    case 'ics':
      return `daily-brief connect ics --url LINK ${flags([['name', args.name]])}`;
  }
}

/** As a POSIX shell reads it back: plain when it can be, else single-quoted. */
function shellWord(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replaceAll("'", "'\\''")}'`;
}
