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

describe('what show repeats', () => {
  const failed: Brief = {
    ...brief,
    generator: {
      ...brief.generator,
      fallbackReason:
        'qwen2.5:7b: Ollama is not reachable at http://127.0.0.1:11434. Start it with `ollama serve`; wrote the extractive brief instead',
    },
    sources: [
      {
        id: 'rss',
        status: 'error',
        itemCount: 0,
        durationMs: 5,
        error: 'all 4 feeds failed: Wire A: could not reach a.example',
      },
      { id: 'weather', status: 'ok', itemCount: 1, durationMs: 5 },
      { id: 'gmail', status: 'disabled', itemCount: 0, durationMs: 0 },
      { id: 'imap', status: 'disabled', itemCount: 0, durationMs: 0 },
    ],
    notices: ['Weather is for London, the default. Set "location" in settings.json for yours.'],
  };

  it('gives the model’s failure, every source and the notes the first time a brief is read', () => {
    const text = formatBrief(failed);
    expect(text).toMatch(/· written 07:30 without a model\n/);
    expect(text).toContain('Model: qwen2.5:7b: Ollama is not reachable');
    expect(text).toContain('✗ rss: all 4 feeds failed: Wire A: could not reach a.example');
    expect(text).toContain('✓ weather: 1 item');
    // Sources that are off are one line, not one each.
    expect(text).toContain('  Off: gmail, imap');
    expect(text).toContain('Note: Weather is for London');
  });

  it('says it once: a brief read before gets no model failure, no notes and one line for what failed', () => {
    const text = formatBrief(failed, { details: false });
    expect(text).toMatch(/· written 07:30 without a model\n/);
    expect(text).not.toContain('Ollama');
    expect(text).not.toContain('Note:');
    expect(text).not.toContain('could not reach');
    expect(text.trimEnd().split('\n').at(-1)).toBe(
      '1 source failed (rss). `daily-brief show --details` says why, with 1 note.',
    );
    // Nothing failed and nothing to note: nothing extra at all.
    const clean = formatBrief(
      { ...brief, sources: [{ id: 'rss', status: 'ok', itemCount: 2, durationMs: 1 }] },
      { details: false },
    );
    expect(clean).not.toContain('--details');
    expect(clean).toContain('written 07:30 without a model');
  });

  it('names the model that wrote a brief', () => {
    const written = formatBrief({ ...brief, generator: { ...brief.generator, mode: 'llm', model: 'qwen2.5:7b' } });
    expect(written).toMatch(/· written 07:30 by qwen2\.5:7b\n/);
  });
});
