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
