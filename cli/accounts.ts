import type { Command } from 'commander';
import { AppError } from '../core/errors.ts';
import type { Account } from '../contract/results.ts';
import { callApp, contextOf, printJson } from './run.ts';

/** `connect google`, `disconnect google <address>` and `accounts`: thin over the service's account calls. */
export function registerAccountCommands(program: Command): void {
  program
    .command('connect')
    .description('connect a Google account (read-only Gmail and Calendar) through your browser')
    .argument('<provider>', 'google')
    .option('--no-browser', 'only print the consent URL; open it yourself, on this machine')
    .action(async (provider: string, options: { browser: boolean }, command: Command) => {
      checkProvider(provider);
      const { address } = await callApp(
        contextOf(command),
        'accounts/connect',
        { provider: 'google', openBrowser: options.browser },
        (event) => {
          if (event.type === 'consent-url') {
            process.stdout.write(`Open this URL to allow read-only access to Gmail and Calendar:\n${event.url}\n`);
            process.stdout.write('Waiting for the browser…\n');
          } else if (event.type === 'notice') process.stderr.write(`daily-brief: warning: ${event.message}\n`);
        },
      );
      process.stdout.write(`Connected ${address}\n`);
    });

  program
    .command('disconnect')
    .description('revoke a Google account’s access and delete its tokens')
    .argument('<provider>', 'google')
    .argument('<address>', 'the account, e.g. you@gmail.com')
    .action(async (provider: string, address: string, _options: unknown, command: Command) => {
      checkProvider(provider);
      await callApp(contextOf(command), 'accounts/disconnect', { provider: 'google', address }, (event) => {
        if (event.type === 'notice') process.stderr.write(`daily-brief: ${event.message}\n`);
      });
      process.stdout.write(`Disconnected ${address.toLowerCase()}; its tokens are deleted\n`);
    });

  program
    .command('accounts')
    .description('list connected accounts and whether they need reconnecting')
    .option('--json', 'print [{ provider, address, status, connectedAt }] as JSON')
    .action(async (options: { json?: boolean }, command: Command) => {
      const accounts = await callApp(contextOf(command), 'accounts/list', {});
      if (options.json) printJson(accounts);
      else process.stdout.write(formatAccounts(accounts));
    });
}

function checkProvider(provider: string): void {
  if (provider !== 'google') {
    throw new AppError('unknown_provider', `unknown provider "${provider}"`, { hint: 'Only "google" is supported' });
  }
}

export function formatAccounts(accounts: Account[]): string {
  if (!accounts.length) return 'No accounts connected. Run `daily-brief connect google`.\n';
  return accounts
    .map((a) => {
      const status = a.status === 'connected' ? 'connected' : 'needs reconnect: run `daily-brief connect google`';
      return `${a.provider}  ${a.address}  ${status}  (since ${a.connectedAt.slice(0, 10)})\n`;
    })
    .join('');
}
