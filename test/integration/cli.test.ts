import { createServer, type AddressInfo } from 'node:net';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Brief, SourceHealth } from '../../core/types.ts';
import { runCli } from '../helpers/cli.ts';

/** A local port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('daily-brief CLI', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'db-cli-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses an invalid settings file with one line naming the field, a non-zero exit and no refresh', async () => {
    writeFileSync(join(dir, 'settings.json'), JSON.stringify({ location: { timezone: 'Mars/Olympus' } }));
    const result = await runCli(['--data-dir', dir, 'refresh']);
    expect(result.code).toBe(1);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^daily-brief: .*settings\.json: location\.timezone must be an IANA time zone/);
    expect(result.stdout).toBe('');
    expect(existsSync(join(dir, 'daily-brief.db'))).toBe(false);
  });

  it('reports a settings file that is not JSON in one line, and shows a stack only with --verbose', async () => {
    writeFileSync(join(dir, 'settings.json'), '{ "location": ');
    const plain = await runCli(['--data-dir', dir, 'refresh', '--json']);
    expect(plain.code).toBe(1);
    expect(plain.stderr.trim().split('\n')).toHaveLength(1);
    expect(plain.stderr).toMatch(/is not valid JSON/);
    const verbose = await runCli(['--data-dir', dir, '--verbose', 'refresh']);
    expect(verbose.code).toBe(1);
    expect(verbose.stderr).toMatch(/\n\s+at /);
  });

  it('says how to get a first brief when there is none, without creating anything', async () => {
    const fresh = join(dir, 'never-used');
    const result = await runCli(['--data-dir', fresh, 'show']);
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe(
      'daily-brief: there is no brief yet. Run `daily-brief refresh` to write the first one',
    );
    const sources = await runCli(['--data-dir', fresh, 'sources']);
    expect(sources.stdout).toBe('No refresh has run yet. Run `daily-brief refresh`.\n');
    expect(existsSync(fresh)).toBe(false);
  });

  it('reports usage mistakes in one line', async () => {
    const result = await runCli(['--data-dir', dir, 'shwo']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^daily-brief: unknown command 'shwo'.*Run `daily-brief --help` for usage\n$/);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('says why the model and the sources failed once, not on every show', async () => {
    // Nothing listens on these ports: the feed and the model both fail, as on a first run without either.
    const closed = await closedPort();
    writeFileSync(
      join(dir, 'settings.json'),
      JSON.stringify({
        sources: {
          rss: { feeds: [{ url: `http://127.0.0.1:${String(closed)}/feed.xml`, category: 'tech', name: 'Wire' }] },
          hackernews: { enabled: false },
          weather: { enabled: false },
        },
        llm: { baseUrl: `http://127.0.0.1:${String(closed)}` },
      }),
    );
    const refreshed = await runCli(['--data-dir', dir, 'refresh']);
    expect(refreshed.code).toBe(0);
    expect(refreshed.stdout).toMatch(/\nModel: .*not reachable/);
    expect(refreshed.stdout).toMatch(/✗ rss: /);

    const later = await runCli(['--data-dir', dir, 'show']);
    expect(later.code).toBe(0);
    expect(later.stdout).toMatch(/written \d\d:\d\d without a model\n/);
    expect(later.stdout).not.toMatch(/Model:|not reachable|✗ rss/);
    expect(later.stdout).toMatch(/1 source failed \(rss\)\. `daily-brief show --details` says why/);
    expect((await runCli(['--data-dir', dir, 'show'])).stdout).toBe(later.stdout);

    const details = await runCli(['--data-dir', dir, 'show', '--details']);
    expect(details.stdout).toMatch(/\nModel: .*not reachable/);
    expect(details.stdout).toMatch(/✗ rss: /);
  });

  it('ends a usage mistake with one full stop', async () => {
    const result = await runCli(['--data-dir', dir, 'feedback', 'rss:1', 'sideways']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/Allowed choices are up, down, mute, unmute, undo\. Run `daily-brief --help`/);
    expect(result.stderr).not.toMatch(/\.\./);
    const port = await runCli(['--data-dir', dir, 'connect', 'imap', '--host', 'h', '--user', 'u', '--port', '99999']);
    expect(port.stderr).toMatch(/argument '99999' is invalid\. A port is a number from 1 to 65535\. Run/);
  });

  it('writes a full sample day with --demo, and show prints it from the cache', async () => {
    const refreshed = await runCli(['--data-dir', dir, 'refresh', '--demo', '--json']);
    expect(refreshed.stderr).toBe('');
    expect(refreshed.code).toBe(0);
    const brief = JSON.parse(refreshed.stdout) as Brief;
    expect(brief.demo).toBe(true);
    expect(brief.tldr).toHaveLength(3);
    expect(brief.tldr[0]?.itemIds).toEqual(['gmail:m-1001']);
    expect(brief.sections.map((s) => s.kind)).toEqual(['email', 'calendar', 'market', 'tech']);
    expect(brief.weather?.advice.length).toBeGreaterThan(0);
    expect(brief.sources.map((s) => s.status)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok']);
    for (const bullet of brief.tldr) {
      const ids = new Set(brief.sections.flatMap((s) => s.items.map((i) => i.id)));
      for (const id of bullet.itemIds) expect(ids.has(id)).toBe(true);
    }

    const shown = await runCli(['--data-dir', dir, 'show', '--demo', '--json']);
    expect(shown.code).toBe(0);
    expect((JSON.parse(shown.stdout) as Brief).id).toBe(brief.id);

    const human = await runCli(['--data-dir', dir, 'show', '--demo']);
    expect(human.stdout).toMatch(/^Daily Brief · /);
    expect(human.stdout).toContain('TL;DR');
    expect(human.stdout).toContain('Contract redlines needed by 3pm today');
    expect(human.stdout).toContain('Weather');
    // The demo lives in its own store: the real one is untouched.
    expect((await runCli(['--data-dir', dir, 'show'])).code).toBe(1);
  });

  it('prints live per-source progress on stderr and the brief on stdout', async () => {
    const result = await runCli(['--data-dir', dir, 'refresh', '--demo']);
    expect(result.code).toBe(0);
    for (const source of ['gmail', 'calendar', 'rss', 'hackernews', 'weather']) {
      expect(result.stderr).toMatch(new RegExp(`✓ ${source}: \\d+ items?`));
    }
    expect(result.stdout).not.toContain('Fetching sources');
    expect(result.stdout).not.toMatch(/✓ gmail: \d+ items? in/);
    expect(result.stdout).toContain('TL;DR');
  });

  it('answers a question from memory, citing items, as JSON and as text', async () => {
    await runCli(['--data-dir', dir, 'refresh', '--demo', '--json']);
    const json = await runCli(['--data-dir', dir, 'ask', '--demo', '--json', 'Northwind', 'renewal']);
    expect(json.stderr).toBe('');
    expect(json.code).toBe(0);
    const result = JSON.parse(json.stdout) as {
      answer: string;
      citations: { itemId: string; title: string }[];
      mode: string;
    };
    // No model in tests: the matches themselves, best first.
    expect(result.mode).toBe('search');
    expect(Object.keys(result).sort()).toEqual(['answer', 'citations', 'mode']);
    expect(result.citations.map((c) => c.itemId)).toEqual(expect.arrayContaining(['gmail:m-1001', 'calendar:e-2002']));
    const text = await runCli(['--data-dir', dir, 'ask', '--demo', 'Northwind renewal']);
    expect(text.stdout).toMatch(/^No model could answer, so here are the closest matches/);
    expect(text.stdout).toMatch(/Sources:\n {2}\[1\] /);
    const empty = await runCli(['--data-dir', dir, 'ask', '--demo', '   ']);
    expect(empty.code).toBe(1);
    expect(empty.stderr.trim()).toBe('daily-brief: ask: question: the question is empty');
  });

  it('lists source health after a refresh', async () => {
    // The data directory can come from DAILY_BRIEF_HOME as well as --data-dir.
    await runCli(['refresh', '--demo', '--json'], { DAILY_BRIEF_HOME: dir });
    const result = await runCli(['--data-dir', dir, 'sources', '--demo', '--json']);
    expect(result.code).toBe(0);
    const health = JSON.parse(result.stdout) as SourceHealth[];
    expect(health.map((h) => h.id)).toEqual(['calendar', 'gmail', 'hackernews', 'rss', 'weather']);
    expect(health.every((h) => h.status === 'ok' && h.lastSuccessAt)).toBe(true);
  });

  it('keeps the previous brief when the process is killed in the middle of writing a new one', async () => {
    const first = await runCli(['--data-dir', dir, 'refresh', '--demo', '--json']);
    const firstBrief = JSON.parse(first.stdout) as Brief;
    const killed = await runCli(['--data-dir', dir, 'refresh', '--demo', '--json'], {
      DAILY_BRIEF_FAULT: 'kill-at:brief-write',
    });
    expect(killed.signal).toBe('SIGKILL');
    expect(killed.stdout).toBe('');

    const shown = await runCli(['--data-dir', dir, 'show', '--demo', '--json']);
    expect(shown.code).toBe(0);
    expect((JSON.parse(shown.stdout) as Brief).id).toBe(firstBrief.id);
    const db = new Database(join(dir, 'demo', 'daily-brief.db'), { readonly: true });
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(db.prepare('SELECT count(*) AS n FROM briefs').get()).toEqual({ n: 1 });
    } finally {
      db.close();
    }
    // And the next refresh works normally.
    const after = await runCli(['--data-dir', dir, 'refresh', '--demo', '--json']);
    expect(after.code).toBe(0);
    expect((JSON.parse(after.stdout) as Brief).id).not.toBe(firstBrief.id);
  });
});
