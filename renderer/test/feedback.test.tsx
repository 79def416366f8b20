import './setup.ts';
import { findBrief } from './find-brief.ts';
// @vitest-environment jsdom
import { cleanup, render, screen, waitFor, within } from '@testing-library/preact';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import type { Brief } from '../../core/types.ts';
import { startServeFixture, type ServeFixture } from '../../test/helpers/serve-fixture.ts';
import { App } from '../src/App.tsx';
import { applyVote, itemsInOrder } from '../src/brief/order.ts';
import { httpClient } from '../src/client/http.ts';
import { LearnedPanel } from '../src/settings/LearnedPanel.tsx';

const fixtures: ServeFixture[] = [];
afterEach(async () => {
  cleanup();
  for (const fx of fixtures.splice(0)) await fx.close();
});

const MORNING = '2026-12-01T06:00:00.000Z';

async function seeded() {
  const fx = await startServeFixture({ now: MORNING });
  fixtures.push(fx);
  const brief = await fx.service.refresh({ trigger: 'test' });
  return { fx, brief, client: httpClient({ baseUrl: fx.baseUrl, token: fx.server.token }) };
}

function sectionIds(kind: string): string[] {
  const heading = screen.getByRole('heading', { name: kind, level: 2 });
  const section = heading.closest('section') as HTMLElement;
  return within(section)
    .getAllByTestId('brief-item')
    .map((el) => el.dataset.itemId ?? '');
}

describe('the optimistic re-order', () => {
  it('lifts a liked item, sinks a disliked one, drops a muted one and clears a vote on undo', async () => {
    const { brief } = await seeded();
    const emails = (b: Brief) => b.sections.find((s) => s.kind === 'email')?.items.map((i) => i.id) ?? [];
    const [first, , third] = emails(brief);
    if (!first || !third) throw new Error('the sample day has at least three emails');
    const up = applyVote(brief, third, 'up');
    expect(emails(up)[0]).toBe(third);
    expect(itemsInOrder(up).find((i) => i.id === third)?.vote).toBe('up');
    expect(emails(applyVote(brief, first, 'down')).at(-1)).toBe(first);
    expect(emails(applyVote(brief, first, 'mute'))).not.toContain(first);
    expect(itemsInOrder(applyVote(up, third, 'undo')).find((i) => i.id === third)?.vote).toBeUndefined();
    // The brief it was given is left as it was.
    expect(emails(brief)[2]).toBe(third);
  });
});

describe('feedback in the app', () => {
  it('a vote re-orders the list at once, then shows the app’s re-ranked brief; undo takes it back', async () => {
    const { fx, client } = await seeded();
    // The real client, with its answer to the vote held back until the test has seen the optimistic order.
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    const slowFeedback: typeof client.feedback = async (args) => {
      await held;
      return client.feedback(args);
    };
    const gated = Object.assign(Object.create(client) as typeof client, { feedback: slowFeedback });
    render(<App client={gated} now={() => new Date(MORNING)} />);
    const user = userEvent.setup();
    await findBrief();
    const before = sectionIds('Email');
    const first = before[0] ?? '';
    const title = document.querySelector(`[data-item-id="${first}"] .item-title`)?.textContent ?? '';
    await user.click(screen.getByRole('button', { name: `Less like this: ${title}` }));
    expect(sectionIds('Email').at(-1)).toBe(first);
    // Said at once, in the page's words, with its Undo; the app's answer has not come yet.
    const toast = screen.getByTestId('feedback-message');
    expect(toast.getAttribute('role')).toBe('status');
    expect(toast.textContent).toMatch(/^Less like “.+”\.Undo/);

    release();
    await waitFor(() => {
      expect(screen.getByRole('button', { name: `Less like this: ${title}` }).getAttribute('aria-pressed')).toBe(
        'true',
      );
    });
    await waitFor(async () => {
      expect((await fx.service.learnedPreferences()).eventCount).toBe(1);
    });
    const reranked = fx.service.latestBrief();
    const serverOrder = reranked?.sections.find((s) => s.kind === 'email')?.items.map((i) => i.id);
    await waitFor(() => {
      expect(sectionIds('Email')).toEqual(serverOrder);
    });
    expect(screen.getByRole('button', { name: `Less like this: ${title}` }).getAttribute('aria-pressed')).toBe('true');
    expect((await fx.service.learnedPreferences()).eventCount).toBe(1);

    await user.click(screen.getByRole('button', { name: 'Undo' }));
    await waitFor(() => {
      expect(screen.getByRole('button', { name: `Less like this: ${title}` }).getAttribute('aria-pressed')).toBe(
        'false',
      );
    });
    await waitFor(() => {
      expect(sectionIds('Email')).toEqual(before);
    });
  });

  it('+ and - vote on the selected item, and mute makes it vanish', async () => {
    const { client } = await seeded();
    render(<App client={client} now={() => new Date(MORNING)} />);
    const user = userEvent.setup();
    await findBrief();
    const items = screen.getAllByTestId('brief-item');
    const second = items[1]?.dataset.itemId ?? '';
    await user.keyboard('jj+');
    await waitFor(() => {
      const item = screen.getAllByTestId('brief-item').find((el) => el.dataset.itemId === second);
      expect(item?.querySelector('[aria-pressed="true"]')?.getAttribute('aria-label')).toMatch(/^More like this/);
    });
    const target = screen.getAllByTestId('brief-item').find((el) => el.dataset.itemId === second) as HTMLElement;
    await user.click(within(target).getByRole('button', { name: /^(Mute |Hide this event)/ }));
    await waitFor(() => {
      expect(screen.getAllByTestId('brief-item').map((el) => el.dataset.itemId)).not.toContain(second);
    });
  });
});

describe('what it has learned', () => {
  it('lists mutes to lift, and forgets every vote on reset', async () => {
    const { client } = await seeded();
    render(<App client={client} now={() => new Date(MORNING)} />);
    const user = userEvent.setup();
    await findBrief();
    const email = () => within(screen.getByRole('heading', { name: 'Email' }).closest('section') as HTMLElement);
    const first = email().getAllByTestId('brief-item')[0] as HTMLElement;
    await user.click(within(first).getByRole('button', { name: /^Mute / }));
    await waitFor(() => {
      expect(screen.getByTestId('feedback-message').textContent).toMatch(/^Muted /);
    });
    const second = email().getAllByTestId('brief-item')[0] as HTMLElement;
    await user.click(within(second).getByRole('button', { name: /^More like this/ }));
    await waitFor(() => {
      expect(
        within(second)
          .getByRole('button', { name: /^More like this/ })
          .getAttribute('aria-pressed'),
      ).toBe('true');
    });

    await user.click(screen.getByRole('button', { name: 'Settings' }));
    const muted = await screen.findByRole('list', { name: 'Muted' });
    expect(within(muted).getAllByRole('listitem')).toHaveLength(1);
    expect(screen.getByText('Feedback events so far: 2.')).toBeTruthy();
    expect(screen.getByRole('list', { name: 'Learned preferences' })).toBeTruthy();
    await user.click(within(muted).getByRole('button', { name: /^Unmute / }));
    await screen.findByText('Unmuted.');
    expect(screen.queryByRole('list', { name: 'Muted' })).toBeNull();
    // Forgetting asks first, and keeping them keeps them.
    await user.click(screen.getByRole('button', { name: 'Forget all votes and mutes' }));
    await user.click(screen.getByRole('button', { name: 'Keep them' }));
    expect(screen.getByRole('list', { name: 'Learned preferences' })).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Forget all votes and mutes' }));
    expect(screen.getByText(/Forget every vote and mute\?/)).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Forget them' }));
    await screen.findByText('Forgotten: every vote and mute.');
    expect(screen.queryByRole('list', { name: 'Learned preferences' })).toBeNull();
    expect(screen.getByRole('button', { name: 'Forget all votes and mutes' })).toHaveProperty('disabled', true);
  });
});

describe('what it has learned, after a few votes on the sample day', () => {
  it('lists each thing once, in words: no section or source said again, no internal names', async () => {
    const { fx, brief, client } = await seeded();
    const byTitle = (start: string) => {
      const item = brief.sections.flatMap((s) => s.items).find((i) => i.title.startsWith(start));
      if (!item) throw new Error(`no item "${start}" in the sample day`);
      return item.id;
    };
    // Two Hacker News stories and a Tech Daily one liked (all three in the Tech section), the shop's mail skipped.
    for (const [start, action] of [
      ['Show HN: A local-first calendar', 'up'],
      ['What I learned running SQLite', 'up'],
      ['Open-source database ships vector search', 'up'],
      ['48-hour flash sale', 'down'],
    ] as const) {
      await fx.service.feedback({ itemId: byTitle(start), action });
    }
    render(<LearnedPanel client={client} />);
    const list = await screen.findByRole('list', { name: 'Learned preferences' });
    const lines = within(list)
      .getAllByRole('listitem')
      .map((li) => li.textContent);

    expect(lines).toEqual(
      expect.arrayContaining([
        'You like posts from Hacker News (2 votes)',
        'You like posts from Tech Daily (1 vote)',
        'You skip email from deals@shopmart.example (1 vote)',
      ]),
    );
    // Each once: the feed, not its section ("tech items") or its source ("items from hackernews") again; the sender,
    // not its domain again.
    const naming = (pattern: RegExp) => lines.filter((line) => pattern.test(line));
    expect(naming(/Hacker News|hackernews/i)).toHaveLength(1);
    expect(naming(/shopmart/)).toHaveLength(1);
    expect(naming(/\btech\b|\bin Tech\b/)).toEqual([]);
    // No connector ids, and no "More:" in front of "You like".
    expect(naming(/\b(rss|gmail|hackernews)\b/)).toEqual([]);
    expect(naming(/^(More|Less):/)).toEqual([]);
    expect(new Set(lines).size).toBe(lines.length);
  });
});
