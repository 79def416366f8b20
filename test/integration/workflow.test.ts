import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fixedClock } from '../../core/clock.ts';
import { BriefService } from '../../app/service.ts';
import { parseSettings } from '../../core/settings.ts';
import { Store } from '../../core/store/store.ts';
import type { ProgressEvent } from '../../core/types.ts';
import { fakeConnector, newsItem } from '../helpers/fake-connectors.ts';

const NOW = '2026-12-01T07:00:00.000Z';

function settings(sourceTimeoutMs = 2000) {
  return {
    settings: parseSettings({
      location: { name: 'Berlin', latitude: 52.52, longitude: 13.4, timezone: 'Europe/Berlin' },
      refresh: { sourceTimeoutMs },
    }),
    fromFile: true,
    locationSet: true,
  };
}

describe('refresh workflow', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'db-workflow-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('fetches every source at the same time and joins before ranking', async () => {
    const fakes = ['a', 'b', 'c', 'd'].map((id, i) =>
      fakeConnector(id, { delayMs: 150, items: [newsItem(id, i, { category: i % 2 ? 'market' : 'tech' })] }),
    );
    let inFlight = 0;
    let maxInFlight = 0;
    const events: ProgressEvent[] = [];
    const service = new BriefService({
      dataDir: dir,
      clock: fixedClock(NOW),
      settings: settings(),
      connectors: fakes.map((f) => f.connector),
    });
    const brief = await service.refresh({
      trigger: 'test',
      onProgress: (event) => {
        events.push(event);
        if (event.type === 'source-started') maxInFlight = Math.max(maxInFlight, ++inFlight);
        if (event.type === 'source-finished') inFlight--;
      },
    });
    service.close();
    // All four had started before any finished: that is the parallel fan-out.
    expect(maxInFlight).toBe(4);
    const firstFinish = events.findIndex((e) => e.type === 'source-finished');
    expect(events.slice(0, firstFinish).filter((e) => e.type === 'source-started')).toHaveLength(4);
    const ingestAt = events.findIndex((e) => e.type === 'phase' && e.phase === 'ingest');
    expect(events.slice(ingestAt).some((e) => e.type === 'source-finished')).toBe(false);
    expect(brief.sources.map((s) => [s.id, s.status, s.itemCount])).toEqual([
      ['a', 'ok', 1],
      ['b', 'ok', 1],
      ['c', 'ok', 1],
      ['d', 'ok', 1],
    ]);
    expect(brief.sections.map((s) => s.kind)).toEqual(['market', 'tech']);
    expect(brief.tldr.map((t) => t.itemIds[0])).toEqual(['b:1', 'a:0', 'd:3']);
    expect(brief.generator).toMatchObject({ mode: 'extractive', model: null, llmCalls: 0 });
  });

  it('serves the last good items as stale when a source fails or times out, and still writes a brief', async () => {
    const good = fakeConnector('good', { items: [newsItem('good', 1)] });
    const flaky = fakeConnector('flaky', { items: [newsItem('flaky', 1), newsItem('flaky', 2)] });
    const slow = fakeConnector('slow', { items: [newsItem('slow', 1)] });
    const service = new BriefService({
      dataDir: dir,
      clock: fixedClock(NOW),
      settings: settings(300),
      connectors: [good.connector, flaky.connector, slow.connector],
    });
    const first = await service.refresh({ trigger: 'test' });
    expect(first.sources.every((s) => s.status === 'ok')).toBe(true);

    flaky.state.behaviour = { fail: 'HTTP 500 from feeds.example' };
    slow.state.behaviour = { hang: true };
    const second = await service.refresh({ trigger: 'test' });
    const byId = Object.fromEntries(second.sources.map((s) => [s.id, s]));
    expect(byId.good?.status).toBe('ok');
    expect(byId.flaky).toMatchObject({ status: 'error', error: 'HTTP 500 from feeds.example', staleItemCount: 2 });
    expect(byId.slow).toMatchObject({ status: 'error', staleItemCount: 1, dataAsOf: NOW });
    expect(byId.slow?.error).toMatch(/timed out after 300 ms/);
    const items = second.sections.flatMap((s) => s.items);
    expect(
      items
        .filter((i) => i.stale)
        .map((i) => i.id)
        .sort(),
    ).toEqual(['flaky:1', 'flaky:2', 'slow:1']);
    expect(items.find((i) => i.id === 'good:1')?.stale).toBeUndefined();

    // The failure is remembered per source; the last success is the first refresh.
    const health = Object.fromEntries(service.sources().map((h) => [h.id, h]));
    expect(health.flaky).toMatchObject({
      status: 'error',
      lastSuccessAt: NOW,
      lastError: 'HTTP 500 from feeds.example',
    });
    expect(health.good).toMatchObject({ status: 'ok', itemCount: 1 });
    service.close();
  });

  it('a refresh that fails while saving leaves the previous brief and the previous stale fallback intact', async () => {
    const feed = fakeConnector('feed', { items: [newsItem('feed', 1), newsItem('feed', 2)] });
    const service = new BriefService({
      dataDir: dir,
      clock: fixedClock(NOW),
      settings: settings(),
      connectors: [feed.connector],
    });
    const first = await service.refresh({ trigger: 'test' });

    // The next refresh brings other items, then dies at the very end of its write.
    feed.state.behaviour = { items: [newsItem('feed', 1), newsItem('feed', 3)] };
    const spy = vi.spyOn(Store.prototype as unknown as { recordSourceHealth: () => void }, 'recordSourceHealth');
    spy.mockImplementationOnce(() => {
      throw new Error('disk I/O error');
    });
    await expect(service.refresh({ trigger: 'test' })).rejects.toThrow(/the refresh failed \(disk I\/O error\)/);
    spy.mockRestore();
    expect(service.latestBrief()?.id).toBe(first.id);

    // When the source then fails, what comes back as stale is what the served brief showed.
    feed.state.behaviour = { fail: 'HTTP 503' };
    const third = await service.refresh({ trigger: 'test' });
    const ids = third.sections.flatMap((s) => s.items.map((i) => i.id)).sort();
    expect(ids).toEqual(['feed:1', 'feed:2']);
    expect(third.sources[0]).toMatchObject({ status: 'error', staleItemCount: 2 });
    service.close();
  });

  it('marks a source that never succeeded as error with no items', async () => {
    const broken = fakeConnector('broken', { fail: 'could not reach example.com' });
    const ok = fakeConnector('ok', { items: [newsItem('ok', 1)] });
    const service = new BriefService({
      dataDir: dir,
      clock: fixedClock(NOW),
      settings: settings(),
      connectors: [broken.connector, ok.connector],
    });
    const brief = await service.refresh({ trigger: 'test' });
    expect(brief.sources.find((s) => s.id === 'broken')).toMatchObject({ status: 'error', itemCount: 0 });
    expect(brief.tldr).toHaveLength(1);
    service.close();
  });

  it('lets a second caller join the running refresh instead of starting another', async () => {
    const slow = fakeConnector('slow', { delayMs: 100, items: [newsItem('slow', 1)] });
    const service = new BriefService({
      dataDir: dir,
      clock: fixedClock(NOW),
      settings: settings(),
      connectors: [slow.connector],
    });
    const joinedEvents: ProgressEvent[] = [];
    const [a, b] = await Promise.all([
      service.refresh({ trigger: 'test' }),
      service.refresh({ trigger: 'ui', onProgress: (e) => joinedEvents.push(e) }),
    ]);
    expect(a.id).toBe(b.id);
    expect(slow.state.calls).toBe(1);
    expect(joinedEvents.some((e) => e.type === 'source-finished')).toBe(true);
    expect(service.latestBrief()?.id).toBe(a.id);
    service.close();
  });
});
