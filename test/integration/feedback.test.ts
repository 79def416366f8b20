import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { demoConnectors, demoSettings } from '../../connectors/demo/demo.ts';
import { createApi } from '../../app/api.ts';
import { fixedClock } from '../../core/clock.ts';
import { memoryLogger } from '../../core/log.ts';
import { parseSettings } from '../../core/settings.ts';
import { BriefService } from '../../app/service.ts';
import type { Brief } from '../../core/types.ts';
import { startOllamaServer, type OllamaServer } from '../fakes/ollama-server.ts';
import { runCli } from '../helpers/cli.ts';
import { MORNING, briefReply, isWriteCall, llmService } from '../helpers/llm.ts';

const dirs: string[] = [];
const servers: OllamaServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'db-feedback-'));
  dirs.push(dir);
  return dir;
}

function demoService(dir: string, interests: string[] = []) {
  const demo = demoSettings();
  return new BriefService({
    dataDir: dir,
    clock: fixedClock(MORNING),
    settings: { ...demo, settings: parseSettings({ ...demo.settings, interests }) },
    connectors: demoConnectors(),
    log: memoryLogger(),
    memory: false,
  });
}

const ids = (brief: Brief | null | undefined, kind: string): string[] =>
  brief?.sections.find((s) => s.kind === kind)?.items.map((i) => i.id) ?? [];
const allIds = (brief: Brief | null | undefined): string[] =>
  brief?.sections.flatMap((s) => s.items.map((i) => i.id)) ?? [];

describe('feedback end to end', () => {
  it('a vote re-ranks the stored brief at once, with reasons, and the next read shows the new order', async () => {
    const dir = tempDir();
    const service = demoService(dir);
    const api = createApi(service);
    const first = await api.refresh({});
    const tech = ids(first, 'tech');
    const top = tech[0] ?? '';
    const last = tech.at(-1) ?? '';
    expect(tech.length).toBeGreaterThan(2);

    const down = await api.feedback({ itemId: top, action: 'down' });
    expect(down.message).toMatch(/^Noted: less like “.+”\. Today’s brief is re-ranked\.$/);
    expect(ids(down.brief, 'tech')[0]).not.toBe(top);
    expect(ids(down.brief, 'tech').at(-1)).toBe(top);
    const up = await api.feedback({ itemId: last, action: 'up' });
    const reranked = ids(up.brief, 'tech');
    expect(reranked.indexOf(last)).toBeLessThan(tech.indexOf(last));
    const item = up.brief?.sections.flatMap((s) => s.items).find((i) => i.id === last);
    expect(item?.vote).toBe('up');
    // The same brief (no new refresh), read back from the store: what `show --json` prints.
    expect(up.brief?.id).toBe(first.id);
    const stored = await api['brief/latest']({});
    expect(ids(stored, 'tech')).toEqual(reranked);
    service.close();

    // A new process rebuilds the model from the log alone and agrees with the stored order.
    const again = demoService(dir);
    const replayed = await createApi(again).feedback({ itemId: last, action: 'up' });
    expect(ids(replayed.brief, 'tech')).toEqual(reranked);
    again.close();
  });

  it('mute hides every item from the sender now and in the next brief; unmute and undo bring them back', async () => {
    const dir = tempDir();
    const service = demoService(dir);
    const api = createApi(service);
    const brief = await api.refresh({});
    const promo = brief.sections.flatMap((s) => s.items).find((i) => i.id === 'gmail:m-1004');
    expect(promo).toBeDefined();

    const muted = await api.feedback({ itemId: 'gmail:m-1004', action: 'mute' });
    expect(muted.message).toMatch(/^Muted sender .+: it will not appear until you unmute it\./);
    expect(allIds(muted.brief)).not.toContain('gmail:m-1004');
    const prefs = await api['preferences/get']({});
    expect(prefs.mutes).toHaveLength(1);
    expect(prefs.mutes[0]?.scope).toBe('sender');
    expect(prefs.mutes[0]?.label).toMatch(/^sender /);
    // The next refresh honours it too.
    const next = await api.refresh({});
    expect(allIds(next)).not.toContain('gmail:m-1004');

    const unmuted = await api['preferences/unmute']({ scope: 'sender', value: prefs.mutes[0]?.value ?? '' });
    expect(allIds(unmuted.brief)).toContain('gmail:m-1004');
    await expect(api['preferences/unmute']({ scope: 'sender', value: 'nobody@example.com' })).rejects.toThrow(
      /is not muted/,
    );

    await api.feedback({ itemId: 'gmail:m-1004', action: 'mute', scope: 'topic', value: 'headphones' });
    expect(allIds(await api['brief/latest']({}))).not.toContain('gmail:m-1004');
    const undone = await api.feedback({ itemId: 'gmail:m-1004', action: 'undo' });
    expect(undone.message).toMatch(/^Undid the mute of topic headphones/);
    expect(allIds(undone.brief)).toContain('gmail:m-1004');
    service.close();
  });

  it('keeps every action in an append-only log, and reset is one more event', async () => {
    const dir = tempDir();
    const service = demoService(dir);
    const api = createApi(service);
    const brief = await api.refresh({});
    const target = ids(brief, 'tech')[0] ?? '';
    await api.feedback({ itemId: target, action: 'down' });
    await api.feedback({ itemId: target, action: 'undo' });
    await api.feedback({ itemId: target, action: 'up' });
    expect((await api['preferences/get']({})).learned.length).toBeGreaterThan(0);
    const reset = await api['preferences/reset']({});
    expect(reset.learned).toEqual([]);
    expect(reset.mutes).toEqual([]);
    service.close();

    const db = new Database(join(dir, 'daily-brief.db'));
    const rows = db.prepare('SELECT action, item_id FROM feedback_events ORDER BY seq').all();
    expect(rows).toEqual([
      { action: 'down', item_id: target },
      { action: 'undo', item_id: target },
      { action: 'up', item_id: target },
      { action: 'reset', item_id: '*' },
    ]);
    const snapshot = JSON.parse(
      (db.prepare('SELECT snapshot FROM feedback_events WHERE seq = 1').get() as { snapshot: string }).snapshot,
    ) as { item: { kind: string; source: string; title: string; terms: string[] } };
    expect(snapshot.item).toMatchObject({ kind: 'news', title: expect.any(String) as string });
    expect(snapshot.item.terms.length).toBeGreaterThan(0);
    expect(() => db.prepare('UPDATE feedback_events SET action = ? WHERE seq = 1').run('up')).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM feedback_events').run()).toThrow(/append-only/);
    db.close();
  });

  it('refuses what it cannot do in one clear line', async () => {
    const service = demoService(tempDir());
    const api = createApi(service);
    await api.refresh({});
    await expect(api.feedback({ itemId: 'gmail:nope', action: 'up' })).rejects.toThrow(/there is no item "gmail:nope"/);
    await expect(api.feedback({ itemId: 'weather:2026-12-01', action: 'up' })).rejects.toThrow(
      /weather cannot be voted/,
    );
    await expect(api.feedback({ itemId: 'gmail:m-1001', action: 'undo' })).rejects.toThrow(/nothing to undo/);
    // @ts-expect-error an unknown action is refused by the contract, before the service
    await expect(api.feedback({ itemId: 'gmail:m-1001', action: 'love' })).rejects.toThrow(/^feedback: action: /);
    service.close();
  });

  it('interests seed the first brief: a matching story leads its section before any vote', async () => {
    const plain = await createApi(demoService(tempDir())).refresh({});
    const tech = ids(plain, 'tech');
    const lastTitle = plain.sections.find((s) => s.kind === 'tech')?.items.at(-1)?.title ?? '';
    const interest = lastTitle.split(/\s+/).find((w) => w.length > 5) ?? lastTitle;
    const seeded = await createApi(demoService(tempDir(), [interest])).refresh({});
    expect(ids(seeded, 'tech').indexOf(tech.at(-1) ?? '')).toBeLessThan(tech.length - 1);
    const item = seeded.sections.flatMap((s) => s.items).find((i) => i.id === tech.at(-1));
    expect(item?.reasons?.join(' ')).toMatch(/matches your interest/);
  });

  it('learns every event in the log, whichever process wrote it', async () => {
    const dir = tempDir();
    const first = demoService(dir);
    const brief = await createApi(first).refresh({});
    const tech = ids(brief, 'tech');
    const second = demoService(dir);
    // Interleaved: each service learns its own event and must also pick up the other's.
    await first.feedback({ itemId: tech[0] ?? '', action: 'down' });
    await second.feedback({ itemId: tech[1] ?? '', action: 'down' });
    const fromFirst = await first.feedback({ itemId: tech[2] ?? '', action: 'up' });
    second.close();
    first.close();
    const fresh = demoService(dir);
    const replayed = await fresh.feedback({ itemId: tech[2] ?? '', action: 'up' });
    expect(ids(fromFirst.brief, 'tech')).toEqual(ids(replayed.brief, 'tech'));
    expect((await fresh.learnedPreferences()).eventCount).toBe(4);
    fresh.close();
  });

  it('re-ranks a model-written brief without calling the model again, and keeps its words', async () => {
    const server = await startOllamaServer({
      respond: (request) => (isWriteCall(request) ? briefReply(request) : { content: 'Nothing to look up.' }),
    });
    servers.push(server);
    const s = llmService(server.baseUrl);
    dirs.push(s.dir);
    const brief = await s.refresh();
    expect(brief.generator.mode).toBe('llm');
    const calls = server.calls.chat;
    const tech = ids(brief, 'tech');
    const result = await s.service.feedback({ itemId: tech[0] ?? '', action: 'down' });
    expect(server.calls.chat).toBe(calls);
    expect(result.brief?.summary).toBe(brief.summary);
    expect(result.brief?.tldr).toEqual(brief.tldr);
    expect(ids(result.brief, 'tech').at(-1)).toBe(tech[0]);
    // Muting what a TL;DR bullet cites drops the bullet; unmuting brings the model's own words back.
    const cited = brief.tldr[0]?.itemIds[0] ?? '';
    const muted = await s.service.feedback({ itemId: cited, action: 'mute' });
    expect(muted.brief?.tldr.flatMap((b) => b.itemIds)).not.toContain(cited);
    const back = await s.service.feedback({ itemId: cited, action: 'undo' });
    expect(back.brief?.tldr).toEqual(brief.tldr);
    expect(back.brief?.summary).toBe(brief.summary);
    s.service.close();
  });
});

describe('feedback and preferences commands', () => {
  it('vote, show --why, preferences and reset from the command line', async () => {
    const dir = tempDir();
    const env = { DAILY_BRIEF_MEMORY_BACKEND: 'sqlite-vec' };
    expect((await runCli(['--data-dir', dir, 'refresh', '--demo', '--json'], env)).code).toBe(0);
    const brief = JSON.parse((await runCli(['--data-dir', dir, 'show', '--demo', '--json'], env)).stdout) as Brief;
    const target = ids(brief, 'tech')[0] ?? '';
    const vote = await runCli(['--data-dir', dir, 'feedback', target, 'down', '--demo'], env);
    expect(vote.code).toBe(0);
    expect(vote.stdout).toMatch(/^Noted: less like/);
    const after = JSON.parse((await runCli(['--data-dir', dir, 'show', '--demo', '--json'], env)).stdout) as Brief;
    expect(ids(after, 'tech').at(-1)).toBe(target);
    const why = await runCli(['--data-dir', dir, 'show', '--demo', '--why'], env);
    expect(why.stdout).toContain(`id ${target} · you asked for less`);
    expect(why.stdout).toMatch(/why this: /);
    const prefs = await runCli(['--data-dir', dir, 'preferences', '--demo'], env);
    expect(prefs.stdout).toMatch(/Feedback events: 1/);
    expect(prefs.stdout).toMatch(/You skip posts from /);
    const json = JSON.parse((await runCli(['--data-dir', dir, 'preferences', '--demo', '--json'], env)).stdout) as {
      eventCount: number;
    };
    expect(json.eventCount).toBe(1);
    const reset = await runCli(['--data-dir', dir, 'preferences', 'reset', '--demo'], env);
    expect(reset.stdout).toMatch(/^Preferences reset/);
    const bad = await runCli(['--data-dir', dir, 'feedback', target, 'love', '--demo'], env);
    expect(bad.code).toBe(1);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
  });
});
