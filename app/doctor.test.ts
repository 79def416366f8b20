import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startOllamaServer, type OllamaServer } from '../test/fakes/ollama-server.ts';
import { startOpenAIServer } from '../test/fakes/openai-server.ts';
import { nodeVersionOk, runDoctor, type CheckStatus, type DoctorCheck, type DoctorReport } from './doctor.ts';
import type { SettingsInput } from '../core/settings.ts';
import { openDatabase } from '../core/store/database.ts';
import { imapAccount, seedAccounts } from '../test/helpers/accounts.ts';

function check(report: DoctorReport, id: string): DoctorCheck {
  const found = report.checks.find((c) => c.id === id);
  if (!found) throw new Error(`no check ${id} in ${report.checks.map((c) => c.id).join(', ')}`);
  return found;
}

function expectCheck(
  found: DoctorCheck,
  status: CheckStatus,
  text: { detail?: string | RegExp; fix?: string | RegExp } = {},
): void {
  expect(found.status, `${found.id}: ${found.detail}`).toBe(status);
  if (text.detail !== undefined) expect(found.detail).toMatch(text.detail);
  if (text.fix !== undefined) expect(found.fix ?? '').toMatch(text.fix);
}

describe('nodeVersionOk', () => {
  it('accepts 22.12 and newer, and refuses older', () => {
    expect(nodeVersionOk('22.12.0')).toBe(true);
    expect(nodeVersionOk('v24.1.0')).toBe(true);
    expect(nodeVersionOk('23.0.0')).toBe(true);
    expect(nodeVersionOk('22.11.9')).toBe(false);
    expect(nodeVersionOk('20.19.0')).toBe(false);
  });
});

const noKeyring = { DAILY_BRIEF_NO_KEYRING: '1' };

describe('runDoctor', () => {
  let dir: string;
  const servers: OllamaServer[] = [];
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'db-doctor-'));
  });
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
    rmSync(dir, { recursive: true, force: true });
  });

  async function ollama(models: string[], latencyMs = 0): Promise<OllamaServer> {
    const server = await startOllamaServer({ models, latencyMs });
    servers.push(server);
    return server;
  }

  function settings(value: SettingsInput): void {
    writeFileSync(join(dir, 'settings.json'), JSON.stringify(value));
  }

  it('fails an old Node with the way to get a new one', async () => {
    settings({ llm: { provider: 'none' } });
    const report = await runDoctor({ dataDir: dir, nodeVersion: '20.11.1' });
    expect(report.ok).toBe(false);
    expectCheck(check(report, 'node'), 'fail', { detail: '20.11.1' });
    expect(check(report, 'node').fix).toContain('scripts/node24.sh');
  });

  it('fails a data directory that is a file, and still checks the rest', async () => {
    const file = join(dir, 'not-a-dir');
    writeFileSync(file, 'x');
    const report = await runDoctor({ dataDir: file, env: { OLLAMA_HOST: 'http://127.0.0.1:9' } });
    expectCheck(check(report, 'data-dir'), 'fail', { detail: file });
    expect(check(report, 'data-dir').fix).toMatch(/--data-dir/);
    expect(check(report, 'sources').status).toBe('ok');
  });

  it('checks that a missing data directory can be created, and leaves nothing behind', async () => {
    const nested = join(dir, 'a', 'b', 'c');
    settings({ llm: { provider: 'none' } });
    const report = await runDoctor({ dataDir: nested });
    expectCheck(check(report, 'data-dir'), 'ok', { detail: 'can be created' });
    expect(existsSync(join(dir, 'a'))).toBe(false);
    // And in an existing one the probe file is gone afterwards.
    await runDoctor({ dataDir: dir });
    expect(readdirSync(dir)).toEqual(['settings.json']);
  });

  it('passes a healthy database, read-only, and fails a damaged one with a fix', async () => {
    settings({ llm: { provider: 'none' } });
    openDatabase(dir).close();
    const healthy = await runDoctor({ dataDir: dir });
    expectCheck(check(healthy, 'database'), 'ok', { detail: /quick check/ });

    writeFileSync(join(dir, 'daily-brief.db'), 'this is not sqlite, just some bytes in a file '.repeat(200));
    rmSync(join(dir, 'daily-brief.db-wal'), { force: true });
    rmSync(join(dir, 'daily-brief.db-shm'), { force: true });
    const damaged = await runDoctor({ dataDir: dir });
    expect(damaged.ok).toBe(false);
    expect(check(damaged, 'database').status).toBe('fail');
    expect(check(damaged, 'database').fix).toMatch(/Move the file aside/);
  });

  it('fails a database written by a newer version', async () => {
    settings({ llm: { provider: 'none' } });
    const db = new Database(join(dir, 'daily-brief.db'));
    db.pragma('user_version = 999');
    db.close();
    const report = await runDoctor({ dataDir: dir });
    expectCheck(check(report, 'database'), 'fail', { detail: 'newer' });
  });

  it('warns when every source is off, without failing', async () => {
    settings({
      llm: { provider: 'none' },
      sources: { rss: { enabled: false }, hackernews: { enabled: false }, weather: { enabled: false } },
    });
    const report = await runDoctor({ dataDir: dir });
    expectCheck(check(report, 'sources'), 'warn', { fix: 'enabled' });
    expect(report.ok).toBe(true);
  });

  it('counts mail and calendar accounts as sources: no warning when they are all that is on', async () => {
    const newsOff = { rss: { enabled: false }, hackernews: { enabled: false }, weather: { enabled: false } };
    settings({ llm: { provider: 'none' }, sources: newsOff });
    seedAccounts(dir, [
      imapAccount('me@example.com', 'imap.example.com'),
      {
        provider: 'caldav',
        address: 'me@example.com',
        name: 'me@example.com',
        status: 'connected',
        connectedAt: '2026-11-01T00:00:00Z',
        caldav: { url: 'https://dav.example.test/', user: 'me@example.com', owners: [] },
      },
    ]);
    const report = await runDoctor({ dataDir: dir, env: noKeyring });
    expectCheck(check(report, 'sources'), 'ok', {
      detail: 'Sources on: imap, caldav (off: rss, hackernews, weather)',
    });

    // An account whose source is turned off is fetched no more than a news source that is.
    settings({ llm: { provider: 'none' }, sources: { ...newsOff, imap: { enabled: false } } });
    const imapOff = await runDoctor({ dataDir: dir, env: noKeyring });
    expectCheck(check(imapOff, 'sources'), 'ok', { detail: 'Sources on: caldav (off: rss, hackernews, weather)' });

    settings({
      llm: { provider: 'none' },
      sources: { ...newsOff, imap: { enabled: false }, caldav: { enabled: false } },
    });
    const nothing = await runDoctor({ dataDir: dir, env: noKeyring });
    expectCheck(check(nothing, 'sources'), 'warn', { detail: 'All sources are off' });
  });

  it('names the feed count and the sources that are off (mail and calendars are the accounts check’s)', async () => {
    settings({
      llm: { provider: 'none' },
      sources: { rss: { feeds: [{ url: 'http://127.0.0.1:9/feed.xml' }] }, weather: { enabled: false } },
    });
    const report = await runDoctor({ dataDir: dir });
    expect(check(report, 'sources').detail).toBe('Sources on: rss (1 feed), hackernews (off: weather)');
  });

  it('fails a missing primary even when a fallback works, and warns a missing fallback', async () => {
    const server = await ollama(['llama3.2:3b', 'nomic-embed-text:latest']);
    settings({
      llm: {
        baseUrl: server.baseUrl,
        model: 'qwen2.5:7b',
        fallbacks: [
          { provider: 'ollama', model: 'llama3.2:3b' },
          { provider: 'ollama', model: 'phi4-mini' },
        ],
      },
    });
    const report = await runDoctor({ dataDir: dir });
    expect(report.ok).toBe(false);
    expect(check(report, 'llm-model')).toMatchObject({
      status: 'fail',
      detail: 'Ollama model qwen2.5:7b not installed (briefs use the fallback llama3.2:3b meanwhile)',
      fix: 'ollama pull qwen2.5:7b',
    });
    expect(check(report, 'llm-fallback-1').status).toBe('ok');
    expect(check(report, 'llm-fallback-2')).toMatchObject({ status: 'warn', fix: 'ollama pull phi4-mini' });
    // The fallbacks live on the primary's server: it is asked once, not once per model.
    expect(report.checks.filter((c) => c.id.startsWith('llm-server'))).toHaveLength(1);
    expect(server.calls.tags).toBe(1);
  });

  it('warns, not fails, when only a fallback server is down', async () => {
    const primary = await ollama(['llama3.2:3b', 'nomic-embed-text']);
    const other = await ollama([]);
    await other.close();
    settings({
      llm: {
        baseUrl: primary.baseUrl,
        model: 'llama3.2:3b',
        fallbacks: [{ provider: 'ollama', model: 'llama3.2:3b', baseUrl: other.baseUrl }],
      },
    });
    const report = await runDoctor({ dataDir: dir });
    expectCheck(check(report, 'llm-server-2'), 'warn', { fix: 'ollama serve' });
    expect(check(report, 'llm-fallback-1').status).toBe('skip');
    expect(check(report, 'embedding-model').status).toBe('ok');
    expect(report.ok).toBe(true);
  });

  it('gives up on a server that does not answer within the time limit', async () => {
    const slow = await ollama(['llama3.2:3b'], 5000);
    settings({ llm: { baseUrl: slow.baseUrl, model: 'llama3.2:3b' } });
    const started = performance.now();
    const report = await runDoctor({ dataDir: dir, timeoutMs: 300 });
    expect(performance.now() - started).toBeLessThan(2500);
    expectCheck(check(report, 'llm-server'), 'fail', { detail: 'Ollama' });
  });

  it('takes the Ollama address from OLLAMA_HOST when settings give none', async () => {
    const server = await ollama(['qwen2.5:7b', 'nomic-embed-text']);
    const report = await runDoctor({ dataDir: dir, env: { OLLAMA_HOST: server.baseUrl.replace('http://', '') } });
    expect(check(report, 'llm-server').detail).toContain(server.baseUrl);
    expect(report.ok).toBe(true);
  });

  it('checks an OpenAI-compatible primary, and looks for embeddings in the Ollama that OLLAMA_HOST names', async () => {
    const server = await startOpenAIServer({ models: ['llama-3.2-3b-instruct'] });
    try {
      settings({ llm: { provider: 'openai-compatible', baseUrl: `${server.baseUrl}/v1`, model: 'gpt-oss-20b' } });
      const report = await runDoctor({ dataDir: dir, env: { OLLAMA_HOST: '127.0.0.1:9' } });
      expectCheck(check(report, 'llm-server'), 'ok', { detail: '1 model' });
      expectCheck(check(report, 'llm-model'), 'fail', { fix: 'llm.model' });
      // Ollama there is down; memory is not essential yet, so that is a warning with the way to start it.
      expectCheck(check(report, 'embedding-model'), 'warn', { detail: 'http://127.0.0.1:9', fix: 'ollama serve' });
    } finally {
      await server.close();
    }
  });
});
