import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, localDate } from '../../core/time.ts';
import type { Brief } from '../../core/types.ts';
import { calendar } from '../fixtures/calendars/events.ts';
import { SEED } from '../fixtures/imap/messages.ts';
import { startServer, type LocalServer } from '../fakes/server.ts';
import { runCli } from '../helpers/cli.ts';
import { startDovecot, type Dovecot } from '../servers/dovecot.ts';
import { startRadicale, type Radicale } from '../servers/radicale.ts';

const USER = 'alice@example.test';
const PASSWORD = 'alice-app-password';
const ZONE = 'Europe/Berlin';

/** The CLI as a user runs it: connect with the password piped in, list, refresh, survive a dead server, disconnect. */
// Each step runs the real CLI several times; a busy machine needs the margin.
describe('daily-brief connect imap|caldav|ics, accounts, disconnect', { timeout: 60_000 }, () => {
  let dovecot: Dovecot;
  let radicale: Radicale;
  let ics: LocalServer;
  let dir: string;
  let env: Record<string, string>;
  const cli = (args: string[], input?: string) => runCli(['--data-dir', dir, ...args], env, input);

  beforeAll(async () => {
    [dovecot, radicale] = await Promise.all([startDovecot({ [USER]: PASSWORD }), startRadicale({ [USER]: PASSWORD })]);
    const client = await dovecot.client(USER);
    for (const m of SEED) await client.append('INBOX', m.raw, m.flags, new Date(Date.now() - m.minutesAgo * 60_000));
    await client.logout();
    const tomorrow = addDays(localDate(new Date(), ZONE), 1).replace(/-/g, '');
    await radicale.seed(USER, 'work', [
      {
        uid: 'review@example.test',
        ics: calendar(`BEGIN:VEVENT
UID:review@example.test
DTSTAMP:20250101T000000Z
DTSTART;TZID=Europe/Berlin:${tomorrow}T100000
DTEND;TZID=Europe/Berlin:${tomorrow}T110000
SUMMARY:Design review
END:VEVENT`),
      },
    ]);
    ics = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/calendar' });
      res.end(
        calendar(`BEGIN:VEVENT
UID:holiday@example.test
DTSTAMP:20250101T000000Z
DTSTART;VALUE=DATE:${tomorrow}
SUMMARY:Bank holiday
END:VEVENT`),
      );
    });
    dir = mkdtempSync(join(tmpdir(), 'db-accounts-cli-'));
    env = { DAILY_BRIEF_NO_KEYRING: '1', XDG_STATE_HOME: join(dir, 'state'), TZ: 'America/Los_Angeles' };
    writeFileSync(
      join(dir, 'settings.json'),
      JSON.stringify({
        location: { name: 'Berlin', latitude: 52.52, longitude: 13.405, timezone: ZONE },
        secrets: { allowFileStore: true },
        sources: { rss: { enabled: false }, hackernews: { enabled: false }, weather: { enabled: false } },
        llm: { provider: 'none' },
        memory: { enabled: false },
      }),
    );
  });
  afterAll(async () => {
    await Promise.all([dovecot.stop(), radicale.stop(), ics.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  const imapArgs = () => [
    'connect',
    'imap',
    '--host',
    '127.0.0.1',
    '--port',
    String(dovecot.port),
    '--security',
    'none',
    '--user',
    USER,
    '--name',
    'Work',
  ];

  it('a wrong password is one line on stderr, and nothing is saved', async () => {
    const result = await cli(imapArgs(), 'wrong-password\n');
    expect(result.code).toBe(1);
    // Besides the opt-in file store's warning, one line.
    const lines = result.stderr
      .trim()
      .split('\n')
      .filter((l) => !l.startsWith('daily-brief: warning: no OS keyring'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^daily-brief: 127\.0\.0\.1 refused the user name or password for alice@example\.test\. /);
    expect(result.stderr).not.toContain('wrong-password');
    expect((await cli(['accounts', '--json'])).stdout.trim()).toBe('[]');
  });

  it('connects all three kinds with the password from stdin and lists them', async () => {
    const imap = await cli(imapArgs(), `${PASSWORD}\n`);
    expect(imap.stderr).toMatch(/^(daily-brief: warning: no OS keyring.*\n)?$/);
    expect(imap.stdout).toBe(`Connected imap:work (alice@example.test at 127.0.0.1:${String(dovecot.port)} (none))\n`);
    const caldav = await cli(['connect', 'caldav', '--url', radicale.url, '--user', USER], `${PASSWORD}\n`);
    expect(caldav.code).toBe(0);
    const sub = await cli(['connect', 'ics', '--url', `${ics.baseUrl}/private-token/basic.ics`, '--name', 'Holidays']);
    expect(sub.code).toBe(0);
    const list = JSON.parse((await cli(['accounts', '--json'])).stdout) as { provider: string; name: string }[];
    expect(list.map((a) => `${a.provider}:${a.name}`)).toEqual([
      'caldav:alice@example.test',
      'ics:Holidays',
      'imap:Work',
    ]);
    const text = (await cli(['accounts'])).stdout;
    expect(text).toContain(`imap:work  127.0.0.1:${String(dovecot.port)} (none)  connected`);
    for (const secret of [PASSWORD, 'private-token']) {
      expect(readFileSync(join(dir, 'settings.json'), 'utf8')).not.toContain(secret);
      expect(readFileSync(join(dir, 'secrets.enc.json'), 'utf8')).not.toContain(secret);
    }
  });

  it('an account whose password only the other app has says so, with the command that connects it here', async () => {
    // The desktop app keeps secrets in its own store where it cannot reach the keyring: the CLI's has no entry.
    const file = join(dir, 'secrets.enc.json');
    const kept = JSON.parse(readFileSync(file, 'utf8')) as { entries: Record<string, unknown> };
    kept.entries = Object.fromEntries(Object.entries(kept.entries).filter(([key]) => key !== 'imap:work'));
    writeFileSync(file, JSON.stringify(kept));
    const lines = (await cli(['accounts'])).stdout.split('\n');
    const at = lines.findIndex((line) => line.startsWith('imap:work'));
    expect(lines[at]).toMatch(
      new RegExp(
        `^imap:work  127\\.0\\.0\\.1:${String(dovecot.port)} \\(none\\)  connected in the other app  \\(since `,
      ),
    );
    const command = /^ {2}to use it here too, run: daily-brief (.+)$/.exec(lines[at + 1] ?? '')?.[1] ?? '';
    expect(command).toBe(
      `connect imap --host 127.0.0.1 --port ${String(dovecot.port)} --security none --user ${USER} --name Work`,
    );
    // The others are unchanged.
    expect(lines.filter((line) => line.includes('connected in the other app'))).toHaveLength(1);

    // That command, as printed, with the password piped in, connects it here.
    const again = await cli(command.split(' '), `${PASSWORD}\n`);
    expect(again.code).toBe(0);
    expect((await cli(['accounts'])).stdout).toContain(
      `imap:work  127.0.0.1:${String(dovecot.port)} (none)  connected  (since `,
    );
  });

  let first: Brief;
  it('a refresh puts the mail and events in the same sections as Google’s', async () => {
    const result = await cli(['refresh', '--json']);
    expect(result.code).toBe(0);
    first = JSON.parse(result.stdout) as Brief;
    const source = (id: string) => first.sources.find((s) => s.id === id);
    expect(source('imap')).toMatchObject({ status: 'ok', itemCount: 5 });
    expect(source('caldav')).toMatchObject({ status: 'ok', itemCount: 1 });
    expect(source('ics')).toMatchObject({ status: 'ok', itemCount: 1 });
    const section = (kind: string) => first.sections.find((s) => s.kind === kind)?.items ?? [];
    expect(section('email').map((i) => i.source)).toContain('imap');
    expect(
      section('calendar')
        .map((i) => i.title)
        .sort(),
    ).toEqual(['Bank holiday', 'Design review']);
    expect(section('calendar').find((i) => i.title === 'Design review')?.start).toMatch(/T10:00:00\+0[12]:00$/);
  });

  it('with the mail server down the brief still comes out, the mail marked stale', async () => {
    await dovecot.stop();
    const result = await cli(['refresh', '--json']);
    expect(result.code).toBe(0);
    const brief = JSON.parse(result.stdout) as Brief;
    const imap = brief.sources.find((s) => s.id === 'imap');
    expect(imap).toMatchObject({ status: 'error', staleItemCount: 5 });
    expect(imap?.error).toMatch(/^IMAP: work: nothing answers at 127\.0\.0\.1:\d+/);
    expect(brief.sources.find((s) => s.id === 'caldav')?.status).toBe('ok');
  });

  it('disconnect deletes the secret and the account; an unknown one is one line', async () => {
    const result = await cli(['disconnect', 'imap:work']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('Disconnected imap:work; its secrets are deleted\n');
    expect(readFileSync(join(dir, 'secrets.enc.json'), 'utf8')).not.toContain('imap:work');
    expect(readFileSync(join(dir, 'secrets.enc.json'), 'utf8')).toContain('ics:holidays');
    expect((await cli(['disconnect', 'Holidays'])).code).toBe(0);
    const list = JSON.parse((await cli(['accounts', '--json'])).stdout) as { provider: string }[];
    expect(list.map((a) => a.provider)).toEqual(['caldav']);
    const again = await cli(['disconnect', 'imap:work']);
    expect(again.code).toBe(1);
    expect(again.stderr.trim()).toBe(
      'daily-brief: no account "imap:work" is connected. Run `daily-brief accounts` to see the connected ones',
    );
  });
});
