import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { SECRETS_FILE } from '../../core/secrets/file-store.ts';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Brief, BriefItem } from '../../core/types.ts';
import { fakeAccount, startGoogleServer, type FakeAccount, type FakeGoogle } from '../fakes/google-server.ts';
import { DST_MORNING, dstDayEvents } from '../fixtures/google/calendar.ts';
import { HTML_ONLY, LATIN1, NESTED, PROMO, UTF8 } from '../fixtures/google/mime.ts';
import { connectAs, googleDataDir, googleService } from '../helpers/google.ts';

const at = Date.parse(DST_MORNING);
const msg = (id: string, raw: string | Buffer, labels: string[], minutesAgo: number) => ({
  id,
  threadId: `t-${id}`,
  labelIds: labels,
  internalDate: at - minutesAgo * 60_000,
  snippet: `snippet of ${id} &amp; more`,
  raw,
});

function items(brief: Brief, kind: string): BriefItem[] {
  return brief.sections.filter((s) => s.kind === kind).flatMap((s) => s.items);
}

describe('Gmail and Calendar sync against the fake Google', () => {
  let fake: FakeGoogle;
  let dir: string;
  let stateDir: string;
  let you: FakeAccount;
  const savedEnv = { ...process.env };
  beforeAll(async () => {
    fake = await startGoogleServer();
  });
  afterAll(async () => {
    await fake.close();
  });
  beforeEach(() => {
    you = fakeAccount('you@example.com', {
      messages: [
        msg('m1', NESTED, ['INBOX', 'IMPORTANT', 'UNREAD', 'CATEGORY_PERSONAL'], 50),
        msg('m2', LATIN1, ['INBOX', 'UNREAD'], 90),
        msg('m3', UTF8, ['INBOX', 'STARRED'], 120),
        msg('m4', HTML_ONLY, ['INBOX', 'UNREAD', 'IMPORTANT'], 30),
        msg('m5', PROMO, ['INBOX', 'UNREAD', 'CATEGORY_PROMOTIONS'], 10),
        msg('old', UTF8, ['INBOX', 'UNREAD'], 60 * 24 * 10),
      ],
    });
    you.calendars = [{ id: 'primary', summary: 'You', events: dstDayEvents() }];
    fake.accounts.clear();
    fake.accounts.set(you.address, you);
    ({ dir, stateDir } = googleDataDir(fake));
    // Tokens in a throwaway file store; the machine's own zone is not the user's.
    process.env.DAILY_BRIEF_NO_KEYRING = '1';
    process.env.XDG_STATE_HOME = stateDir;
    process.env.TZ = 'Pacific/Auckland';
  });
  afterEach(() => {
    process.env = { ...savedEnv };
    rmSync(dir, { recursive: true, force: true });
    rmSync(stateDir, { recursive: true, force: true });
  });

  it('turns MIME into text (nested, charsets, quoted-printable, HTML-only, attachments ignored) with labels and links', async () => {
    const service = googleService(dir, DST_MORNING);
    await connectAs(service, fake, 'you@example.com');
    const brief = await service.refresh({ trigger: 'test' });
    service.close();
    const mail = items(brief, 'email');
    const byId = new Map(mail.map((m) => [m.id, m]));
    expect([...byId.keys()].sort()).toEqual(['gmail:m1', 'gmail:m2', 'gmail:m3', 'gmail:m4', 'gmail:m5']);
    const nested = byId.get('gmail:m1');
    expect(nested?.author).toBe('Priya Raman');
    expect(nested?.title).toBe('Contract redlines needed by 3pm');
    expect(nested?.url).toBe('https://mail.google.com/mail/?authuser=you%40example.com#all/m1');
    expect(nested?.snippet).toBe('snippet of m1 & more');
    expect(nested?.meta).toMatchObject({
      from: 'priya@northwind.example',
      domain: 'northwind.example',
      threadId: 't-m1',
      labels: ['INBOX', 'IMPORTANT', 'UNREAD', 'CATEGORY_PERSONAL'],
      important: true,
      unread: true,
    });
    const { Store } = await import('../../core/store/store.ts');
    const store = Store.open(dir);
    const body = (id: string) => store.getItem(id)?.body ?? '';
    expect(body('gmail:m1')).toBe('Please confirm sections 4.2 and 7.1 before 3pm — we countersign today.');
    expect(body('gmail:m2')).toBe('Café crème et gâteau à 12h.');
    expect(byId.get('gmail:m2')?.title).toBe('Réunion à midi');
    expect(byId.get('gmail:m2')?.author).toBe('Renée Lévesque');
    expect(body('gmail:m3')).toBe('Could you send your two slides by Wednesday? Grazie — Marco 🚀');
    expect(body('gmail:m4')).toBe('Invoice #42 Your payment is 3 days overdue.');
    expect(body('gmail:m5')).toBe('30% off headphones.');
    store.close();
    // Important mail leads; the promotion comes last; the TLDR starts with email, then the calendar.
    expect(mail[mail.length - 1]?.id).toBe('gmail:m5');
    expect(brief.tldr[0]?.itemIds[0]).toMatch(/^gmail:m[14]$/);
    expect(brief.tldr[1]?.text).toMatch(/events today/);
    // Requests with a stated time become action items without a model, citing their email.
    expect(brief.actionItems?.map((a) => [a.itemIds[0], a.text])).toEqual([
      ['gmail:m1', 'Contract redlines needed by 3pm'],
      ['gmail:m3', 'Could you send your two slides by Wednesday?'],
    ]);
    expect(brief.sections.map((s) => s.kind)).toEqual(['email', 'calendar']);
    const list = fake.requests.find((r) => r.path.startsWith('/gmail/v1/users/me/messages?'));
    expect(decodeURIComponent(list?.path ?? '').replace(/\+/g, ' ')).toContain(
      'q=newer_than:3d {is:unread is:important is:starred}',
    );
  });

  it('syncs incrementally from the historyId, and resyncs fully when Gmail answers 404', async () => {
    const service = googleService(dir, DST_MORNING);
    await connectAs(service, fake, 'you@example.com');
    await service.refresh({ trigger: 'test' });
    you.messages.push(msg('m6', UTF8, ['INBOX', 'UNREAD', 'IMPORTANT'], 5));
    you.messages = you.messages.filter((m) => m.id !== 'm2');
    you.history.push({
      id: '1001',
      messagesAdded: [{ message: { id: 'm6' } }],
      messagesDeleted: [{ message: { id: 'm2' } }],
    });
    you.historyId = 1001;
    const before = fake.requests.length;
    const second = await service.refresh({ trigger: 'test' });
    const calls = fake.requests.slice(before).map((r) => r.path);
    expect(calls.some((p) => p.startsWith('/gmail/v1/users/me/history?startHistoryId=1000'))).toBe(true);
    expect(calls.filter((p) => p.startsWith('/gmail/v1/users/me/messages/'))).toEqual([
      '/gmail/v1/users/me/messages/m6?format=raw',
    ]);
    expect(
      items(second, 'email')
        .map((m) => m.id)
        .sort(),
    ).toEqual(['gmail:m1', 'gmail:m3', 'gmail:m4', 'gmail:m5', 'gmail:m6']);

    you.oldestHistoryId = 5000;
    const mark = fake.requests.length;
    const third = await service.refresh({ trigger: 'test' });
    const after = fake.requests.slice(mark).map((r) => r.path);
    expect(after.some((p) => p.startsWith('/gmail/v1/users/me/profile'))).toBe(true);
    expect(after.some((p) => p.startsWith('/gmail/v1/users/me/messages?'))).toBe(true);
    expect(third.sources.find((s) => s.id === 'gmail')?.status).toBe('ok');
    expect(items(third, 'email')).toHaveLength(5);
    service.close();
  });

  it('backs off on 429 and 403 rate limits and still gets the message', async () => {
    fake.rateLimits.set('m1', { status: 429, times: 1 });
    fake.rateLimits.set('m3', { status: 403, times: 2 });
    const service = googleService(dir, DST_MORNING);
    await connectAs(service, fake, 'you@example.com');
    const mark = fake.requests.length;
    const brief = await service.refresh({ trigger: 'test' });
    service.close();
    expect(items(brief, 'email').map((m) => m.id)).toEqual(expect.arrayContaining(['gmail:m1', 'gmail:m3']));
    expect(fake.requests.slice(mark).filter((r) => r.path.startsWith('/gmail/v1/users/me/messages/m3')).length).toBe(3);
    expect(brief.sources.find((s) => s.id === 'gmail')?.warnings).toBeUndefined();
  });

  it('puts a DST day’s events in the user’s zone: all-day, another zone, recurring, declined dropped, tentative marked', async () => {
    const service = googleService(dir, DST_MORNING);
    await connectAs(service, fake, 'you@example.com');
    const mark = fake.requests.length;
    const brief = await service.refresh({ trigger: 'test' });
    const events = new Map(items(brief, 'calendar').map((e) => [e.id, e]));
    expect([...events.keys()].sort()).toEqual([
      'calendar:allday1',
      'calendar:nyc1',
      'calendar:standup_20250330T073000Z',
      'calendar:standup_20250331T073000Z',
      'calendar:tomorrow1',
    ]);
    expect(events.get('calendar:allday1')).toMatchObject({
      start: '2025-03-30T00:00:00+01:00',
      end: '2025-03-31T00:00:00+02:00',
      meta: { allDay: true },
    });
    expect(events.get('calendar:nyc1')).toMatchObject({
      start: '2025-03-30T16:00:00+02:00',
      end: '2025-03-30T16:30:00+02:00',
      meta: { location: 'Zoom', conferenceLink: 'https://zoom.example/j/123', response: 'accepted', tentative: false },
    });
    expect((events.get('calendar:nyc1')?.meta?.attendees as unknown[]).length).toBe(2);
    expect(events.get('calendar:standup_20250330T073000Z')).toMatchObject({
      start: '2025-03-30T09:30:00+02:00',
      meta: { tentative: true, response: 'tentative', conferenceLink: 'https://meet.google.com/abc-defg-hij' },
    });
    // Paged at two events a page: several requests, all with singleEvents and the two-day window.
    const pages = fake.requests.slice(mark).filter((r) => r.path.startsWith('/calendar/v3/calendars/primary/events'));
    expect(pages.length).toBeGreaterThan(1);
    expect(pages[0]?.path).toContain('singleEvents=true');
    expect(decodeURIComponent(pages[0]?.path ?? '')).toContain('timeMin=2025-03-29T23:00:00.000Z');
    expect(decodeURIComponent(pages[0]?.path ?? '')).toContain('timeMax=2025-03-31T22:00:00.000Z');

    // Incremental: the stored syncToken brings a cancellation and a new event; then a 410 forces a full sync.
    const { Store } = await import('../../core/store/store.ts');
    const syncToken = () => {
      const store = Store.open(dir);
      const state = store.getValue('calendar:you@example.com:primary') as { syncToken: string };
      store.close();
      return state.syncToken;
    };
    const token = syncToken();
    expect(token).toMatch(/^sync-primary-/);
    you.changesAfter.set(token, [
      { id: 'nyc1', status: 'cancelled' },
      {
        id: 'late',
        status: 'confirmed',
        summary: 'Late add',
        start: { dateTime: '2025-03-30T18:00:00+02:00' },
        end: { dateTime: '2025-03-30T18:30:00+02:00' },
      },
    ]);
    const second = await service.refresh({ trigger: 'test' });
    const ids = items(second, 'calendar').map((e) => e.id);
    expect(ids).toContain('calendar:late');
    expect(ids).not.toContain('calendar:nyc1');
    expect(fake.requests.some((r) => r.path.includes(`syncToken=${token}`))).toBe(true);

    you.expiredSyncTokens.add(syncToken());
    const third = await service.refresh({ trigger: 'test' });
    service.close();
    expect(third.sources.find((s) => s.id === 'calendar')?.status).toBe('ok');
    expect(items(third, 'calendar').map((e) => e.id)).toContain('calendar:nyc1');
  });

  it('marks an account whose grant was revoked as needs-reconnect, and the brief comes out with the others', async () => {
    const other = fakeAccount('work@corp.example', { messages: [msg('w1', UTF8, ['INBOX', 'UNREAD'], 15)] });
    other.calendars = [{ id: 'primary', summary: 'Work', events: [] }];
    fake.accounts.set(other.address, other);
    const service = googleService(dir, DST_MORNING);
    await connectAs(service, fake, 'you@example.com');
    await connectAs(service, fake, 'work@corp.example');
    fake.revokeRefreshToken('you@example.com');
    fake.expireAccessTokens();
    // The stored access tokens look valid to the client, so the fake's 401 is what makes it refresh.
    const brief = await service.refresh({ trigger: 'test' });
    const gmail = brief.sources.find((s) => s.id === 'gmail');
    expect(gmail?.status).toBe('ok');
    expect(gmail?.warnings?.join(' ')).toMatch(/you@example\.com needs reconnecting \(.*invalid_grant/);
    expect(items(brief, 'email').map((m) => m.id)).toEqual(['gmail:w1']);
    expect(service.accounts.list()).toEqual([
      expect.objectContaining({ address: 'work@corp.example', status: 'connected' }),
      expect.objectContaining({ address: 'you@example.com', status: 'needs-reconnect' }),
    ]);
    // The refreshed work token was written back, so the next run does not refresh again.
    expect(fake.tokenRequests.filter((r) => r.grant_type === 'refresh_token').length).toBeGreaterThan(0);
    service.close();
  });
  it('leaves an account connected from the other front end alone: a warning, not needs-reconnect', async () => {
    const service = googleService(dir, DST_MORNING);
    await connectAs(service, fake, 'you@example.com');
    service.close();
    // The token lives in the other app's secret store (here: this one's file is gone); the grant is fine.
    rmSync(join(dir, SECRETS_FILE));
    const again = googleService(dir, DST_MORNING);
    const brief = await again.refresh({ trigger: 'test' });
    const gmail = brief.sources.find((s) => s.id === 'gmail');
    expect(gmail?.status).toBe('ok');
    expect(gmail?.warnings?.join(' ')).toMatch(
      /you@example\.com has no token here \(it was connected from the desktop app or the CLI\)\. Run `daily-brief connect google` here too/,
    );
    expect(again.accounts.list()).toEqual([
      expect.objectContaining({ address: 'you@example.com', status: 'connected' }),
    ]);
    again.close();
  });
});
