import { InvalidArgumentError, Option, type Command } from 'commander';
import type { ApiArgs } from '../contract/calls.ts';
import type { AppEvent } from '../contract/events.ts';
import { connectCommand } from '../app/connect-command.ts';
import type { Account } from '../contract/results.ts';
import { AppError } from '../core/errors.ts';
import { readPassword } from './password.ts';
import { callApp, contextOf, printJson } from './run.ts';

interface ConnectFlags {
  browser: boolean;
  host?: string;
  port?: number;
  security?: 'tls' | 'starttls' | 'none';
  user?: string;
  mailbox?: string;
  name?: string;
  url?: string;
}

/** `connect google|imap|caldav|ics`, `disconnect ACCOUNT` and `accounts`: thin over the app's account calls. */
export function registerAccountCommands(program: Command): void {
  program
    .command('connect')
    .description(
      'connect an account: google (through your browser), imap (mail), caldav (calendars) or ics (a calendar link)',
    )
    .argument('<provider>', 'google, imap, caldav or ics')
    .option('--no-browser', 'google: only print the consent URL; open it yourself, on this machine')
    .option('--host <host>', 'imap: the server, e.g. imap.fastmail.com')
    .option('--port <n>', 'imap: the port (993 for tls, 143 for starttls)', port)
    .addOption(
      new Option('--security <mode>', 'imap: tls, starttls or none (none only on this machine)').choices([
        'tls',
        'starttls',
        'none',
      ]),
    )
    .option('--user <user>', 'imap, caldav: the login, usually your address')
    .option('--mailbox <name>', 'imap: the mailbox to read', 'INBOX')
    .option('--url <url>', 'caldav: the server or calendar home URL; ics: the calendar link')
    .option('--name <label>', 'imap, caldav, ics: a name for the account (default: the login or host)')
    .addHelpText(
      'after',
      '\nThe password (an app password, usually) is read from standard input when it is not a terminal, else asked for without echo.',
    )
    .action(async (provider: string, flags: ConnectFlags, command: Command) => {
      const args = await connectArgs(provider, flags);
      const account = await callApp(contextOf(command), 'accounts/connect', args, (event) => {
        if (event.type === 'consent-url') {
          process.stdout.write(`Open this URL to allow read-only access to Gmail and Calendar:\n${event.url}\n`);
          process.stdout.write('Waiting for the browser…\n');
        } else warn(event);
      });
      process.stdout.write(`Connected ${provider === 'google' ? account.address : describe(account)}\n`);
    });

  program
    .command('disconnect')
    .description('disconnect an account and delete its tokens or password (a Google grant is revoked too)')
    .argument('<account>', 'as `daily-brief accounts` lists it, e.g. imap:you@fastmail.com, or just its name')
    .argument('[address]', 'the older form `disconnect google ADDRESS`')
    .action(async (account: string, address: string | undefined, _options: unknown, command: Command) => {
      const google = address !== undefined && account === 'google';
      const handle = google ? `google:${address}` : account;
      const args = google ? { provider: 'google' as const, address } : { account };
      await callApp(contextOf(command), 'accounts/disconnect', args, (event) => {
        if (event.type === 'notice') process.stderr.write(`daily-brief: ${event.message}\n`);
      });
      process.stdout.write(`Disconnected ${handle.toLowerCase()}; its secrets are deleted\n`);
    });

  program
    .command('accounts')
    .description(
      'list connected accounts: connected, needs reconnecting, or connected in the other app (its secret is kept by the desktop app), with the command that fixes it',
    )
    .option(
      '--json',
      'print [{ provider, name, address, server, status, connectedAt, reconnect }] as JSON; reconnect: the connect arguments but the secret',
    )
    .action(async (options: { json?: boolean }, command: Command) => {
      // A notice says when the secret store could not be asked in time; --json keeps stderr for failures.
      const accounts = await callApp(contextOf(command), 'accounts/list', {}, options.json ? undefined : warn);
      if (options.json) printJson(accounts);
      else process.stdout.write(formatAccounts(accounts));
    });
}

function warn(event: AppEvent): void {
  if (event.type === 'notice') process.stderr.write(`daily-brief: warning: ${event.message}\n`);
}

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new InvalidArgumentError('a port is a number from 1 to 65535');
  return n;
}

/** The call's arguments; the password is asked for only once the flags are known to be complete. */
async function connectArgs(provider: string, flags: ConnectFlags): Promise<ApiArgs<'accounts/connect'>> {
  const name = flags.name ? { name: flags.name } : {};
  const need = (value: string | undefined, flag: string, example: string): string => {
    if (!value) throw new AppError('missing_option', `connect ${provider} needs ${flag}`, { hint: `e.g. ${example}` });
    return value;
  };
  switch (provider) {
    case 'google':
      return { provider: 'google', openBrowser: flags.browser };
    case 'imap': {
      const host = need(
        flags.host,
        '--host',
        'daily-brief connect imap --host imap.fastmail.com --user you@fastmail.com',
      );
      const user = need(flags.user, '--user', `daily-brief connect imap --host ${host} --user you@example.com`);
      return {
        provider: 'imap',
        host,
        user,
        ...(flags.port ? { port: flags.port } : {}),
        ...(flags.security ? { security: flags.security } : {}),
        ...(flags.mailbox ? { mailbox: flags.mailbox } : {}),
        ...name,
        password: await needPassword(`Password for ${user} at ${host}: `),
      };
    }
    case 'caldav': {
      const url = need(
        flags.url,
        '--url',
        'daily-brief connect caldav --url https://caldav.fastmail.com --user you@fastmail.com',
      );
      const user = need(flags.user, '--user', `daily-brief connect caldav --url ${url} --user you@example.com`);
      return { provider: 'caldav', url, user, ...name, password: await needPassword(`Password for ${user}: `) };
    }
    case 'ics':
      return {
        provider: 'ics',
        url: need(flags.url, '--url', 'daily-brief connect ics --url https://…/basic.ics'),
        ...name,
      };
    default:
      throw new AppError('unknown_provider', `unknown provider "${provider}"`, {
        hint: 'Use google, imap, caldav or ics',
      });
  }
}

/** Checked here as well as in the contract, so an empty one gets the same words the app would give. */
async function needPassword(prompt: string): Promise<string> {
  const password = await readPassword(prompt);
  if (!password)
    throw new AppError('no_password', 'no password was given', { hint: 'Type it at the prompt, or pipe it in' });
  return password;
}

function describe(account: Account): string {
  const name = account.name ?? account.address;
  const where = account.server ?? account.address;
  return `${account.provider}:${name.toLowerCase()} (${account.address === name ? where : `${account.address} at ${where}`})`;
}

const STATUS: Record<Account['status'], string> = {
  connected: 'connected',
  'needs-reconnect': 'needs reconnecting',
  'connected-elsewhere': 'connected in the other app',
};

export function formatAccounts(accounts: Account[]): string {
  if (!accounts.length) return 'No accounts connected. Run `daily-brief connect google|imap|caldav|ics`.\n';
  return accounts
    .map((a) => {
      const handle = `${a.provider}:${(a.name ?? a.address).toLowerCase()}`;
      const where = a.server ? `  ${a.server}` : '';
      const line = `${handle}${where}  ${STATUS[a.status]}  (since ${a.connectedAt.slice(0, 10)})\n`;
      if (a.status === 'connected' || !a.reconnect) return line;
      // The other app keeps its secret (the desktop app's safeStorage, where it cannot reach the keyring).
      const why = a.status === 'connected-elsewhere' ? 'to use it here too' : 'to fix it';
      const link = a.reconnect.provider === 'ics' ? "  (LINK: the calendar's link)" : '';
      return `${line}  ${why}, run: ${connectCommand(a.reconnect)}${link}\n`;
    })
    .join('');
}
