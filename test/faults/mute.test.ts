import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiCall, Faults } from './children.ts';

const faults = new Faults();
let dir: string;
interface Brief {
  sections: { items: { id: string; kind: string; category?: string }[] }[];
}
let items: Brief['sections'][number]['items'];

beforeAll(async () => {
  dir = faults.tempDir();
  const refreshed = await faults.run(['--data-dir', dir, 'refresh', '--demo', '--json']);
  items = (JSON.parse(refreshed.stdout) as Brief).sections.flatMap((s) => s.items);
}, 60_000);
afterAll(() => faults.cleanup());

const cli = (...args: string[]) => faults.run(['--data-dir', dir, '--demo', ...args]);

describe('mute and unmute', () => {
  it('`mute --by topic` without --topic asks for the topic and mutes nothing', async () => {
    const news = items.find((i) => i.kind === 'news');
    const result = await cli('feedback', news?.id ?? '', 'mute', '--by', 'topic');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^daily-brief: [^\n]*topic[^\n]*--topic[^\n]*\n$/);
    expect((await cli('preferences', '--json')).stdout).toMatch(/"mutes": \[\]/);
  });

  it('unmute is the exact inverse of mute, for every way of muting', async () => {
    const news = items.find((i) => i.kind === 'news');
    const id = news?.id ?? '';
    for (const how of [[], ['--by', 'feed'], ['--by', 'topic', '--topic', 'Tech'], ['--topic', 'sailing boats']]) {
      const muted = await cli('feedback', id, 'mute', ...how);
      expect(muted.stderr).toBe('');
      expect(muted.stdout).toMatch(/^Muted /);
      const unmuted = await cli('feedback', id, 'unmute', ...how);
      expect(unmuted.stderr).toBe('');
      expect(unmuted.stdout).toMatch(/^Unmuted /);
      expect((await cli('preferences', '--json')).stdout).toMatch(/"mutes": \[\]/);
    }
  }, 60_000);

  it('a calendar event: "hide this event" and "hide events like this" work over the API, no 500, no CLI flag', async () => {
    const event = items.find((i) => i.kind === 'event');
    expect(event).toBeDefined();
    const serve = faults.cli(['--data-dir', dir, '--demo', 'serve', '--no-schedule']);
    const url = new URL(await serve.firstLine);
    const token = new URLSearchParams(url.hash.slice(1)).get('token') ?? '';
    const call = (args: unknown) => apiCall(url.origin, token, 'feedback', args);
    // What the UI's "Mute" sends with no scope: for an event, it hides that event.
    for (const scope of [undefined, 'event', 'series']) {
      const hidden = await call({ itemId: event?.id, action: 'mute', ...(scope ? { scope } : {}) });
      expect(hidden.status).toBe(200);
      expect(JSON.stringify(hidden.body)).not.toMatch(/--by|--topic/);
      expect((hidden.body.value as { message: string }).message).toMatch(/^Hid /);
      const shown = (hidden.body.value as { brief: Brief }).brief.sections.flatMap((s) => s.items);
      expect(shown.map((i) => i.id)).not.toContain(event?.id);
      const back = await call({ itemId: event?.id, action: 'unmute', ...(scope ? { scope } : {}) });
      expect(back.status).toBe(200);
    }
    const refused = await call({ itemId: event?.id, action: 'mute', scope: 'topic' });
    expect(refused.status).toBe(409);
    expect(JSON.stringify(refused.body)).not.toMatch(/--by|--topic/);
    serve.child.kill('SIGTERM');
    await serve.exited;
  }, 60_000);
});
