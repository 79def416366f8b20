import type { Command } from 'commander';
import { AppError } from '../core/errors.ts';
import { resolveDataDir } from '../core/paths.ts';
import { BriefService } from '../app/service.ts';
import type { Account } from '../core/accounts.ts';

/** `connect google`, `disconnect google <address>` and `accounts`: thin over the service's account calls. */
export function registerAccountCommands(program: Command): void {
  const service = (): BriefService => {
    const { dataDir, verbose } = program.opts<{ dataDir?: string; verbose?: boolean }>();
    return new BriefService({ dataDir: resolveDataDir(dataDir), verbose: verbose ?? false });
  };

  program
    .command('connect')
    .description('connect a Google account (read-only Gmail and Calendar) through your browser')
    .argument('<provider>', 'google')
    .option('--no-browser', 'only print the consent URL; open it yourself, on this machine')
    .action(async (provider: string, options: { browser: boolean }) => {
      checkProvider(provider);
      const svc = service();
      try {
        const { address } = await svc.accounts.connect({
          openBrowser: options.browser,
          onConsentUrl: (url) => {
            process.stdout.write(`Open this URL to allow read-only access to Gmail and Calendar:\n${url}\n`);
            process.stdout.write('Waiting for the browser…\n');
          },
          onNotice: (line) => process.stderr.write(`daily-brief: warning: ${line}\n`),
        });
        process.stdout.write(`Connected ${address}\n`);
      } finally {
        svc.close();
      }
    });

  program
    .command('disconnect')
    .description('revoke a Google account’s access and delete its tokens')
    .argument('<provider>', 'google')
    .argument('<address>', 'the account, e.g. you@gmail.com')
    .action(async (provider: string, address: string) => {
      checkProvider(provider);
      const svc = service();
      try {
        await svc.accounts.disconnect(address, (line) => process.stderr.write(`daily-brief: ${line}\n`));
        process.stdout.write(`Disconnected ${address.toLowerCase()}; its tokens are deleted\n`);
      } finally {
        svc.close();
      }
    });

  program
    .command('accounts')
    .description('list connected accounts and whether they need reconnecting')
    .option('--json', 'print [{ provider, address, status, connectedAt }] as JSON')
    .action((options: { json?: boolean }) => {
      const svc = service();
      try {
        const accounts = svc.accounts.list();
        if (options.json) process.stdout.write(`${JSON.stringify(accounts, null, 2)}\n`);
        else process.stdout.write(formatAccounts(accounts));
      } finally {
        svc.close();
      }
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
