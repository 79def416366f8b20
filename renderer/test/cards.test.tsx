import './setup.ts';
// @vitest-environment jsdom
import { cleanup, render, screen, within } from '@testing-library/preact';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import type { Brief, BriefItem } from '../../core/types.ts';
import { BriefView } from '../src/brief/BriefView.tsx';

afterEach(cleanup);

const NOW = new Date('2026-12-03T10:00:00.000Z');
const item = (over: Partial<BriefItem>): BriefItem => ({
  id: 'rss:1',
  kind: 'news',
  source: 'rss',
  origin: 'Wire A',
  title: 'Fed holds rates',
  snippet: 'Policymakers kept the rate.',
  score: 1,
  publishedAt: '2026-12-03T08:00:00.000Z',
  ...over,
});

const brief: Brief = {
  id: 'b',
  generatedAt: '2026-12-03T05:30:00.000Z',
  dataAsOf: '2026-12-03T05:29:00.000Z',
  date: '2026-12-03',
  timezone: 'Europe/Berlin',
  tldr: [{ text: 'Fed holds rates (4 sources).', itemIds: ['rss:1'] }],
  actionItems: [{ text: 'Sign the renewal', itemIds: ['gmail:1'], due: '2026-12-03 15:00' }],
  sections: [
    {
      kind: 'calendar',
      title: 'Calendar',
      items: [
        item({
          id: 'cal:1',
          kind: 'event',
          source: 'calendar',
          origin: undefined,
          title: 'Acme call',
          snippet: '',
          publishedAt: undefined,
          start: '2026-12-03T13:00:00.000Z',
          end: '2026-12-03T13:30:00.000Z',
          updated: true,
          change: 'moved to 14:00',
          related: [{ id: 'gmail:1', kind: 'email', title: 'Renewal terms', why: 'email from Dana this week' }],
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
          reasons: ['you liked 3 posts from this feed'],
        }),
        item({
          id: 'hackernews:7',
          source: 'hackernews',
          origin: 'Hacker News',
          title: 'Show HN: a calendar',
          url: 'https://example.com/cal',
          meta: { score: 412, comments: 1, hnUrl: 'https://news.ycombinator.com/item?id=7' },
        }),
        item({ id: 'rss:9', title: 'Old story', firstShownOn: '2026-12-01' }),
      ],
    },
  ],
  weather: null,
  sources: [],
  generator: { mode: 'llm', model: 'qwen2.5:7b', llmCalls: 1, promptTokens: 0, completionTokens: 0, durationMs: 0 },
  timings: { fetchMs: 0, totalMs: 0 },
  notices: [],
};

function show(over: Partial<Parameters<typeof BriefView>[0]> = {}) {
  render(
    <BriefView
      brief={brief}
      now={NOW}
      selectedId={undefined}
      newIds={new Set(['hackernews:7'])}
      openedIds={new Set(['rss:1'])}
      onSelect={() => undefined}
      onOpen={() => undefined}
      onJump={() => undefined}
      onGo={() => undefined}
      onVote={() => undefined}
      {...over}
    />,
  );
}

const card = (title: string) => screen.getByText(title).closest('li') as HTMLElement;

describe('items as cards worth scanning', () => {
  it('says who wrote the brief, then each item’s source, age, points, discussion and other sources', () => {
    show();
    expect(screen.getByTestId('written-line').textContent).toBe('Written by qwen2.5:7b at 06:30 · data as of 06:29');
    const fed = card('Fed holds rates');
    const age = within(fed).getByText('2 hr ago');
    expect(age.getAttribute('title')).toBe('Thu 3 Dec, 09:00');
    expect(within(fed).getByText('also in 3 sources').getAttribute('title')).toBe('Also in Wire B, Wire C, Wire D');
    expect(fed.className).toMatch(/\bopened\b/);
    const hn = card('Show HN: a calendar');
    expect(hn.textContent).toContain('412 points');
    const discussion = within(hn).getByRole('link', { name: '1 comment' });
    expect(discussion.getAttribute('href')).toBe('https://news.ycombinator.com/item?id=7');
    expect(within(hn).getByText('New')).toBeTruthy();
    // A letter mark, drawn here: no image is loaded from anywhere.
    expect(hn.querySelector('.mark')?.textContent).toBe('H');
    expect(document.querySelector('img')).toBeNull();
  });

  it('shows a changed meeting, what to read before it, due dates in words, and folds what was seen before', () => {
    show();
    const call = card('Acme call');
    expect(within(call).getByText('Updated: moved to 14:00')).toBeTruthy();
    expect(within(call).getByRole('list', { name: 'Before this meeting' }).textContent).toContain('Renewal terms');
    expect(within(call).getByRole('button', { name: 'Hide this event' })).toBeTruthy();
    expect(screen.getByText(/due today 15:00/)).toBeTruthy();
    const seen = screen.getByText('Seen before (1 item)').closest('details') as HTMLElement;
    expect(within(seen).getByText('Old story')).toBeTruthy();
    expect(seen.hasAttribute('open')).toBe(false);
  });

  it('has one row of named icon buttons, and Why this opens the reasons', async () => {
    show();
    const fed = card('Fed holds rates');
    const buttons = within(within(fed).getByRole('group')).getAllByRole('button');
    expect(buttons.map((b) => b.getAttribute('aria-label'))).toEqual([
      'More like this: Fed holds rates',
      'Less like this: Fed holds rates',
      'Mute Wire A',
      'Why this',
    ]);
    expect(buttons.every((b) => b.querySelector('svg') && b.textContent === '')).toBe(true);
    await userEvent.setup().click(within(fed).getByRole('button', { name: 'Why this' }));
    expect(within(fed).getByRole('list', { name: 'Why this' }).textContent).toBe('you liked 3 posts from this feed');
  });

  it('has no character from the emoji ranges anywhere', () => {
    show();
    expect(document.body.textContent).not.toMatch(/\p{Extended_Pictographic}/u);
  });
});
