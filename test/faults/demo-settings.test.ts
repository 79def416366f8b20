import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { apiCall, Faults } from './children.ts';

const faults = new Faults();
afterAll(() => faults.cleanup());

async function startDemo(dir: string) {
  const serve = faults.cli(['--data-dir', dir, 'serve', '--demo', '--no-schedule']);
  const url = new URL(await serve.firstLine);
  const token = new URLSearchParams(url.hash.slice(1)).get('token') ?? '';
  return { serve, call: (name: string, args: unknown = {}) => apiCall(url.origin, token, name, args) };
}

describe('settings saved in `serve --demo`', () => {
  it('are used by the next demo brief, shown again by the form, kept after a restart, and never touch real settings', async () => {
    const dir = faults.tempDir();
    const first = await startDemo(dir);
    const before = (await first.call('settings/get')).body.value as { settings: Record<string, unknown> };
    const location = { ...(before.settings.location as object), name: 'Tokyo', timezone: 'Asia/Tokyo' };
    const saved = await first.call('settings/save', { settings: { ...before.settings, location } });
    expect(saved.body.value).toEqual({ ok: true });
    const reread = (await first.call('settings/get')).body.value as { settings: { location: { name: string } } };
    expect(reread.settings.location.name).toBe('Tokyo');
    const brief = (await first.call('refresh', { trigger: 'ui' })).body.value as { timezone: string };
    expect(brief.timezone).toBe('Asia/Tokyo');
    first.serve.child.kill('SIGTERM');
    await first.serve.exited;

    const again = await startDemo(dir);
    const kept = (await again.call('settings/get')).body.value as { settings: { location: { name: string } } };
    expect(kept.settings.location.name).toBe('Tokyo');
    again.serve.child.kill('SIGTERM');
    await again.serve.exited;
    expect(existsSync(join(dir, 'settings.json'))).toBe(false);
  }, 60_000);
});
