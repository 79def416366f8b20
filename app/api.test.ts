import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { demoConnectors, demoSettings } from '../connectors/demo/demo.ts';
import { createApi } from './api.ts';
import { fixedClock } from '../core/clock.ts';
import { memoryLogger } from '../core/log.ts';
import { BriefService } from './service.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function api() {
  const dir = mkdtempSync(join(tmpdir(), 'db-api-'));
  dirs.push(dir);
  const service = new BriefService({
    dataDir: dir,
    clock: fixedClock('2026-12-01T06:00:00.000Z'),
    settings: demoSettings(),
    connectors: demoConnectors(),
    log: memoryLogger(),
  });
  return { service, api: createApi(service) };
}

describe('the API contract', () => {
  it('serves refresh, the latest brief, a brief by date, source status and ask through one map', async () => {
    const { service, api: calls } = api();
    expect(await calls['brief/latest']({})).toBeNull();
    const brief = await calls.refresh({});
    expect((await calls['brief/latest']({}))?.id).toBe(brief.id);
    expect((await calls['brief/byDate']({ date: brief.date }))?.id).toBe(brief.id);
    expect(await calls['brief/byDate']({ date: '1999-01-01' })).toBeNull();
    expect((await calls['sources/status']({})).map((s) => s.id)).toContain('gmail');
    const answer = await calls.ask({ question: 'Northwind' });
    expect(answer.mode).toBe('search');
    expect(answer.citations.map((c) => c.itemId)).toContain('gmail:m-1001');
    service.close();
  });

  it('ask: each source carries what its card shows: where it is from, when, and a line or two of its text', async () => {
    const { service, api: calls } = api();
    await calls.refresh({});
    const { citations } = await calls.ask({ question: 'Northwind' });
    expect(citations.find((c) => c.itemId === 'gmail:m-1001')).toEqual({
      itemId: 'gmail:m-1001',
      kind: 'email',
      title: 'Contract redlines needed by 3pm today',
      source: 'Priya Raman',
      // The sample mail came 55 minutes before the clock's 06:00.
      at: '2026-12-01T05:05:00.000Z',
      snippet:
        'Legal has returned the redlines on the Northwind renewal. Can you confirm sections 4.2 and 7.1 before 3pm so we can countersign today?',
    });
    const meeting = citations.find((c) => c.itemId === 'calendar:e-2002');
    expect(meeting).toMatchObject({ kind: 'event', title: 'Northwind renewal review', source: 'Calendar' });
    expect(Number.isNaN(Date.parse(meeting?.at ?? ''))).toBe(false);
    service.close();
  });

  it('validates arguments the same way for every transport', async () => {
    const { service, api: calls } = api();
    await expect(calls.ask({ question: '  ' })).rejects.toThrow(/^ask: question: the question is empty$/);
    await expect(calls['brief/byDate']({ date: 'yesterday' })).rejects.toThrow(/YYYY-MM-DD/);
    // @ts-expect-error an unknown argument is refused, not ignored
    await expect(calls['brief/latest']({ extra: 1 })).rejects.toThrow(
      /^brief\/latest: arguments: has a field it does not know: extra$/,
    );
    service.close();
  });
});
