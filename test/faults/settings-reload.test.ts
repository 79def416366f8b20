import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Faults, localSettings } from './children.ts';

const faults = new Faults();
afterAll(() => faults.cleanup());

const BAD_JSON = '{\n  "schedule": {\n    "dailyAt": nope\n  }\n}\n';

/** The line a front end prints for a settings file it did not apply. */
const NOT_APPLIED = /settings not applied: .*\n/g;

describe.each([
  { name: 'daemon', args: ['daemon'], stream: 'stdout' as const },
  { name: 'serve', args: ['serve', '--no-schedule'], stream: 'stderr' as const },
])('$name keeps running on SIGHUP with bad settings', ({ args, stream }) => {
  it('logs one clear line for invalid JSON and for an invalid field, then applies the next valid edit', async () => {
    const dir = faults.tempDir();
    const file = join(dir, 'settings.json');
    const settings = localSettings('http://127.0.0.1:9/feeds/none');
    writeFileSync(file, JSON.stringify(settings));
    const app = faults.cli(['--data-dir', dir, ...args]);
    await app.firstLine;
    const out = () => (stream === 'stdout' ? app.stdout() : app.stderr());

    writeFileSync(file, BAD_JSON);
    app.child.kill('SIGHUP');
    await app.waitFor(/settings not applied/, stream);
    writeFileSync(file, JSON.stringify({ ...settings, schedule: { dailyAt: '25:99' } }));
    app.child.kill('SIGHUP');
    await app.waitFor(/settings not applied[^]*settings not applied/, stream);
    const lines = out().match(NOT_APPLIED) ?? [];
    expect(lines).toHaveLength(2);
    // Invalid JSON: one line, naming where, with no quoted excerpt spilling over lines.
    expect(lines[0]).toMatch(/settings\.json is not valid JSON .*line 3 column 17/);
    expect(lines[1]).toMatch(/schedule\.dailyAt/);
    expect(app.child.exitCode).toBeNull();

    writeFileSync(file, JSON.stringify({ ...settings, schedule: { dailyAt: '05:45' } }));
    app.child.kill('SIGHUP');
    await app.waitFor(/settings reloaded/, stream);
    expect(app.child.exitCode).toBeNull();
    app.child.kill('SIGTERM');
    expect((await app.exited).code).toBe(0);
  }, 60_000);
});
