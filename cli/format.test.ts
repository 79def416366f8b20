import { describe, expect, it } from 'vitest';
import type { Brief, BriefItem } from '../core/types.ts';
import { formatBrief } from './format.ts';

const item = (over: Partial<BriefItem>): BriefItem => ({
  id: 'rss:1',
  kind: 'news',
  source: 'rss',
  origin: 'Wire A',
  title: 'Fed holds rates',
  snippet: '',
  score: 1,
  ...over,
});

const brief: Brief = {
  id: 'b',
  generatedAt: '2026-12-03T06:30:00.000Z',
  dataAsOf: '2026-12-03T06:29:00.000Z',
  date: '2026-12-03',
  timezone: 'Europe/Berlin',
  tldr: [],
  actionItems: [{ text: 'Sign the renewal', itemIds: ['gmail:1'], due: '2026-12-04 15:00' }],
  sections: [
    {
      kind: 'calendar',
      title: 'Calendar',
      items: [
        item({
          id: 'cal:1',
          kind: 'event',
          source: 'calendar',
          title: 'Acme call',
          start: '2026-12-03T14:00:00.000Z',
          end: '2026-12-03T14:30:00.000Z',
          updated: true,
          change: 'moved to 15:00',
          related: [{ id: 'gmail:1', kind: 'email', title: 'Renewal terms', why: 'email from Dana Reyes this week' }],
        }),
      ],
    },
    {
      kind: 'news',
      title: 'News',
      items: [
        item({
          alsoFrom: [
            { id: 'rss:2', origin: 'Wire B', title: 'x' },
            { id: 'rss:3', origin: 'Wire C', title: 'y' },
            { id: 'rss:4', origin: 'Wire D', title: 'z' },
          ],
          meta: { score: 1, comments: 12 },
        }),
        item({ id: 'rss:9', title: 'Old story', firstShownOn: '2026-12-01' }),
      ],
    },
  ],
  weather: null,
  sources: [],
  generator: { mode: 'extractive', model: null, llmCalls: 0, promptTokens: 0, completionTokens: 0, durationMs: 0 },
  timings: { fetchMs: 0, totalMs: 0 },
  notices: [],
};

describe('daily-brief show', () => {
  it('says the new brief fields in plain words', () => {
    const text = formatBrief(brief);
    expect(text).toContain('☐ Sign the renewal (due tomorrow 15:00)');
    expect(text).toContain('15:00–15:30  Acme call (updated: moved to 15:00)');
    expect(text).toContain('    before it: Renewal terms (email from Dana Reyes this week)');
    expect(text).toContain('• Fed holds rates — Wire A, 1 point, 12 comments, also in 3 sources');
    // Seen on an earlier day and unchanged: last, briefly, not as news.
    expect(text).toMatch(/ {2}Seen before \(1 item\):\n {4}Old story \(first shown Tue 1 Dec\)\n/);
    expect(text.indexOf('Old story')).toBeGreaterThan(text.indexOf('Fed holds rates'));
  });
});
