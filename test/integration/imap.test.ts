import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectImap } from '../../connectors/imap/connect.ts';
import { imapConnector } from '../../connectors/imap/connector.ts';
import type { ConnectorContext } from '../../connectors/types.ts';
import { AccountRegistry, tokenKey } from '../../core/accounts.ts';
import { fixedClock } from '../../core/clock.ts';
import { fileStore } from '../../core/secrets/file-store.ts';
import type { SecretStore } from '../../core/secrets/types.ts';
import { parseSettings } from '../../core/settings.ts';
import type { Item } from '../../core/types.ts';
import { LATE, SEED, WANTED, type SeedMessage } from '../fixtures/imap/messages.ts';
import { failure, memoryCache } from '../helpers/connector-cache.ts';
import { startDovecot, type Dovecot } from '../servers/dovecot.ts';
import { startImapProxy, type ImapProxy } from '../servers/imap-proxy.ts';

const USER = 'alice@example.test';
const PASSWORD = 'alice-app-password';
const NOW = new Date();

describe('IMAP against a real Dovecot', () => {
  let dovecot: Dovecot;
  let proxy: ImapProxy;
  let dir: string;
  let secrets: SecretStore;
  const kv = new Map<string, unknown>();
  const registry = new AccountRegistry({ getValue: (k) => kv.get(k), putValue: (k, v) => kv.set(k, v) });
  const uids = new Map<string, number>();

  beforeAll(async () => {
    dovecot = await startDovecot({ [USER]: PASSWORD });
    proxy = await startImapProxy({ host: dovecot.host, port: dovecot.port });
    dir = mkdtempSync(join(tmpdir(), 'db-imap-'));
    secrets = fileStore({ path: join(dir, 'secrets.enc.json'), keyPath: join(dir, 'state', 'secrets.key') });
    for (const message of SEED) uids.set(message.name, await append(message));
  });
  afterAll(async () => {
    await proxy.close();
    await dovecot.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function append(message: SeedMessage): Promise<number> {
    const client = await dovecot.client(USER);
    try {
      const at = new Date(NOW.getTime() - message.minutesAgo * 60_000);
      const result = await client.append('INBOX', message.raw, message.flags, at);
      return result ? Number(result.uid) : 0;
    } finally {
      await client.logout();
    }
  }

  /** Every message's flags and the mailbox's HIGHESTMODSEQ: any change the app made would show in one of them. */
  async function serverFlags(): Promise<{ modseq: string; flags: Record<number, string[]> }> {
    const client = await dovecot.client(USER);
    try {
      const box = await client.mailboxOpen('INBOX', { readOnly: true });
      const flags: Record<number, string[]> = {};
      for await (const m of client.fetch('1:*', { uid: true, flags: true })) flags[m.uid] = [...(m.flags ?? [])].sort();
      return { modseq: String(box.highestModseq), flags };
    } finally {
      await client.logout();
    }
  }

  const deps = () => ({ accounts: registry, secrets, clock: fixedClock(NOW.toISOString()) });
  const cache = memoryCache();
  const context = (over: Partial<ConnectorContext> = {}): ConnectorContext => ({
    settings: parseSettings({ sources: { imap: { lookbackDays: 3 } } }),
    signal: new AbortController().signal,
    clock: fixedClock(NOW.toISOString()),
    cache,
    requestTimeoutMs: 5000,
    ...over,
  });
  const connector = imapConnector({ accounts: registry, secrets: () => Promise.resolve(secrets) });
  const viaProxy = { host: '127.0.0.1', port: 0, security: 'none' as const, user: USER, name: 'Work mail' };
  const bodyFetches = (from: number) =>
    proxy.commands.slice(from).filter((line) => / FETCH /.test(line) && /BODY\.PEEK\[|BINARY\.PEEK\[/.test(line));
  const subjects = (items: Item[]) => items.map((i) => i.title).sort();

  it('refuses a wrong password, an unknown host, an untrusted certificate and plain text off loopback, saving nothing', async () => {
    const wrong = await failure(connectImap(deps(), { ...viaProxy, port: dovecot.port }, 'not-the-password'));
    expect(wrong.code).toBe('auth_failed');
    expect(wrong.oneLine()).toMatch(/^127\.0\.0\.1 refused the user name or password for alice@example\.test\. /);
    const host = await failure(
      connectImap(deps(), { host: 'no-such-host.invalid', security: 'tls', user: USER }, PASSWORD),
    );
    expect(host.code).toBe('unknown_host');
    const cert = await failure(
      connectImap(deps(), { host: '127.0.0.1', port: dovecot.tlsPort, security: 'tls', user: USER }, PASSWORD),
    );
    expect(cert.code).toBe('certificate');
    expect(cert.oneLine()).toMatch(/certificate of 127\.0\.0\.1:\d+ is not trusted \(DEPTH_ZERO_SELF_SIGNED_CERT\)/);
    const plain = await failure(
      connectImap(deps(), { host: 'imap.example.com', security: 'none', user: USER }, PASSWORD),
    );
    expect(plain.code).toBe('plaintext_refused');
    const mailbox = await failure(connectImap(deps(), { ...viaProxy, port: dovecot.port, mailbox: 'Nope' }, PASSWORD));
    expect(mailbox.code).toBe('no_mailbox');
    for (const error of [wrong, host, cert, plain, mailbox]) {
      expect(error.oneLine()).not.toMatch(/\n|alice-app-password|at .*\.ts/);
    }
    expect(registry.list()).toEqual([]);
    expect(await secrets.get(tokenKey('imap', 'work mail'))).toBeUndefined();
  });

  it('connects with the right password, keeping the password only in the secret store', async () => {
    const account = await connectImap(deps(), { ...viaProxy, port: proxy.port }, PASSWORD);
    expect(account).toMatchObject({ provider: 'imap', name: 'Work mail', address: USER, status: 'connected' });
    expect(account.server).toBe(`127.0.0.1:${String(proxy.port)} (none)`);
    expect(await secrets.get(tokenKey('imap', 'Work mail'))).toBe(PASSWORD);
    expect(JSON.stringify([...kv.values()])).not.toContain(PASSWORD);
  });

  let first: Item[] = [];
  let before: Awaited<ReturnType<typeof serverFlags>>;

  it('first sync: unread and flagged mail of the window, parsed like Gmail, flags as ranking signals', async () => {
    before = await serverFlags();
    const from = proxy.commands.length;
    const result = await connector.fetch(context());
    first = result.items;
    expect(result.warnings).toEqual([]);
    expect(first).toHaveLength(WANTED.length);
    const bySubject = new Map(first.map((i) => [i.title, i]));
    const nested = bySubject.get('Contract redlines needed by 3pm');
    expect(nested?.body).toBe('Please confirm sections 4.2 and 7.1 before 3pm — we countersign today.');
    expect(nested).toMatchObject({ source: 'imap', kind: 'email', author: 'Priya Raman', tags: ['UNREAD'] });
    expect(nested?.meta).toMatchObject({ from: 'priya@northwind.example', domain: 'northwind.example', unread: true });
    expect(bySubject.get('Réunion à midi')?.body).toBe('Café crème et gâteau à 12h.');
    expect(bySubject.get('Invoice overdue')?.body).toMatch(/Invoice #42.*3 days.*overdue/s);
    expect(bySubject.get('Invoice overdue')?.body).not.toMatch(/alert|color:red|</);
    const starred = bySubject.get('Q4 roadmap — slides? 🚀');
    expect(starred?.tags).toEqual(['STARRED']);
    expect(starred?.meta).toMatchObject({ starred: true, unread: false });
    const hostile = first.find((i) => i.author === 'IT Support');
    expect(hostile?.body).not.toMatch(/<script|document\.cookie|onerror/);
    expect(JSON.stringify(first)).not.toMatch(/ATTACHMENT TEXT|JVBERi0/);
    expect(subjects(first)).not.toContain('Already read');
    expect(subjects(first)).not.toContain('Ten days old');
    // Sources are fetched once, with BODY.PEEK, in one command for the lot.
    expect(bodyFetches(from)).toHaveLength(1);
    expect(proxy.commands.slice(from).join('\n')).not.toMatch(/ SELECT | STORE /);
    expect(proxy.commands.slice(from).some((l) => / EXAMINE /.test(l))).toBe(true);
    console.info(
      `IMAP first refresh: ${String(first.length)} messages synced in ${String(bodyFetches(from).length)} FETCH`,
    );
  });

  it('second refresh with nothing new sends no SEARCH and no FETCH, and returns the same mail', async () => {
    const from = proxy.commands.length;
    const result = await connector.fetch(context());
    expect(subjects(result.items)).toEqual(subjects(first));
    const names = proxy.names().slice(from);
    expect(names.filter((n) => /FETCH|SEARCH/.test(n))).toEqual([]);
    console.info(`IMAP commands on an unchanged refresh: ${String(names.length)} (${names.join(', ')})`);
    console.info(
      `IMAP second refresh: ${String(bodyFetches(from).length)} messages fetched, ${String(result.items.length)} shown from the saved state`,
    );
  });

  it('a new message arrives: only it is fetched', async () => {
    const uid = await append(LATE);
    const from = proxy.commands.length;
    const result = await connector.fetch(context());
    expect(result.items).toHaveLength(WANTED.length + 1);
    expect(result.items[0]?.title).toBe('Late arrival');
    const bodies = bodyFetches(from);
    expect(bodies).toHaveLength(1);
    expect(bodies[0]).toMatch(new RegExp(`UID FETCH ${String(uid)} \\(`));
  });

  it('a message read elsewhere leaves the brief without its source being fetched again', async () => {
    const client = await dovecot.client(USER);
    await client.mailboxOpen('INBOX');
    await client.messageFlagsAdd(String(uids.get('latin1')), ['\\Seen'], { uid: true });
    await client.logout();
    before = await serverFlags();
    const from = proxy.commands.length;
    const result = await connector.fetch(context());
    expect(subjects(result.items)).not.toContain('Réunion à midi');
    expect(result.items).toHaveLength(WANTED.length);
    expect(bodyFetches(from)).toEqual([]);
  });

  it('after all those refreshes the flags on the server are what they were', async () => {
    await connector.fetch(context());
    const after = await serverFlags();
    const changed = Object.keys({ ...before.flags, ...after.flags }).filter(
      (uid) => JSON.stringify(before.flags[Number(uid)]) !== JSON.stringify(after.flags[Number(uid)]),
    );
    console.info(`IMAP flags changed on the server by the app: ${String(changed.length)}`);
    expect(after).toEqual(before);
  });

  it('a new UIDVALIDITY starts over cleanly', async () => {
    await dovecot.setUidValidity(USER, 'INBOX', 777);
    const from = proxy.commands.length;
    const result = await connector.fetch(context());
    expect(result.items).toHaveLength(WANTED.length);
    expect(result.items.every((i) => i.id.includes('/INBOX/777/'))).toBe(true);
    expect(bodyFetches(from)).toHaveLength(1);
  });

  it('a server that goes away mid-fetch fails the source in one line, and the saved state is untouched', async () => {
    const saved = JSON.stringify(cache.values.get('imap:work mail'));
    await dovecot.setUidValidity(USER, 'INBOX', 778);
    proxy.dropDuringNextBodyFetch();
    const error = await failure(connector.fetch(context()));
    expect(error.code).toBe('source_failed');
    expect(error.oneLine()).toMatch(/^IMAP: work mail: 127\.0\.0\.1:\d+ closed the connection/);
    expect(error.oneLine()).not.toContain('\n');
    expect(JSON.stringify(cache.values.get('imap:work mail'))).toBe(saved);
    const again = await connector.fetch(context());
    expect(again.items).toHaveLength(WANTED.length);
  });
});
