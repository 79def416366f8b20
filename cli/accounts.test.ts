import { describe, expect, it } from 'vitest';
import type { Account } from '../contract/results.ts';
import { connectCommand } from '../app/connect-command.ts';
import { formatAccounts } from './accounts.ts';

const since = '2026-12-01T06:00:00.000Z';

describe('daily-brief accounts', () => {
  it('says which accounts are connected in the other app, each with the exact command that connects it here', () => {
    const accounts: Account[] = [
      { provider: 'google', address: 'you@example.com', status: 'connected', connectedAt: since },
      {
        provider: 'google',
        address: 'work@corp.example',
        status: 'connected-elsewhere',
        connectedAt: since,
        reconnect: { provider: 'google' },
      },
      {
        provider: 'imap',
        address: 'alice@example.test',
        name: 'Work mail',
        server: 'imap.example.test:1143 (starttls)',
        status: 'connected-elsewhere',
        connectedAt: since,
        reconnect: {
          provider: 'imap',
          host: 'imap.example.test',
          port: 1143,
          security: 'starttls',
          user: 'alice@example.test',
          mailbox: 'Work/Inbox',
          name: 'Work mail',
        },
      },
      {
        provider: 'caldav',
        address: 'alice@example.test',
        name: 'alice@example.test',
        server: 'https://dav.example.test/',
        status: 'needs-reconnect',
        connectedAt: since,
        reconnect: {
          provider: 'caldav',
          url: 'https://dav.example.test/',
          user: 'alice@example.test',
          name: 'alice@example.test',
        },
      },
      {
        provider: 'ics',
        address: 'calendar.example.test',
        name: "Ann's days",
        status: 'connected-elsewhere',
        connectedAt: since,
        reconnect: { provider: 'ics', name: "Ann's days" },
      },
    ];
    expect(formatAccounts(accounts)).toBe(
      [
        'google:you@example.com  connected  (since 2026-12-01)',
        'google:work@corp.example  connected in the other app  (since 2026-12-01)',
        '  to use it here too, run: daily-brief connect google',
        'imap:work mail  imap.example.test:1143 (starttls)  connected in the other app  (since 2026-12-01)',
        "  to use it here too, run: daily-brief connect imap --host imap.example.test --port 1143 --security starttls --user alice@example.test --mailbox Work/Inbox --name 'Work mail'",
        'caldav:alice@example.test  https://dav.example.test/  needs reconnecting  (since 2026-12-01)',
        '  to fix it, run: daily-brief connect caldav --url https://dav.example.test/ --user alice@example.test --name alice@example.test',
        "ics:ann's days  connected in the other app  (since 2026-12-01)",
        "  to use it here too, run: daily-brief connect ics --url LINK --name 'Ann'\\''s days'  (LINK: the calendar's link)",
        '',
      ].join('\n'),
    );
  });

  it('leaves out the mailbox when it is the default one', () => {
    expect(
      connectCommand({
        provider: 'imap',
        host: '127.0.0.1',
        port: 993,
        security: 'tls',
        user: 'a@b.test',
        mailbox: 'INBOX',
        name: 'a@b.test',
      }),
    ).toBe('daily-brief connect imap --host 127.0.0.1 --port 993 --security tls --user a@b.test --name a@b.test');
  });
});
