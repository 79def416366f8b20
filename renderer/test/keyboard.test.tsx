import './setup.ts';
import { findBrief } from './find-brief.ts';
// @vitest-environment jsdom
import { cleanup, render, screen, waitFor, within } from '@testing-library/preact';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startServeFixture, type ServeFixture } from '../../test/helpers/serve-fixture.ts';
import { App } from '../src/App.tsx';
import { httpClient } from '../src/client/http.ts';

const fixtures: ServeFixture[] = [];
afterEach(async () => {
  cleanup();
  vi.restoreAllMocks();
  for (const fx of fixtures.splice(0)) await fx.close();
});

const MORNING = '2026-12-01T06:00:00.000Z';

async function seeded() {
  const fx = await startServeFixture({ now: MORNING });
  fixtures.push(fx);
  await fx.service.refresh({ trigger: 'test' });
  return { fx, client: httpClient({ baseUrl: fx.baseUrl, token: fx.server.token }) };
}

const ids = () => screen.getAllByTestId('brief-item').map((el) => el.dataset.itemId);

describe('the reading keys', () => {
  it('m mutes the selected item, u undoes it, o opens it and marks it read', async () => {
    const { fx, client } = await seeded();
    const opened = vi.spyOn(window, 'open').mockReturnValue(null);
    render(<App client={client} now={() => new Date(MORNING)} />);
    const user = userEvent.setup();
    await findBrief();
    const email = within(screen.getByRole('heading', { name: 'Email' }).closest('section') as HTMLElement);
    const target = email.getAllByTestId('brief-item')[0] as HTMLElement;
    const id = target.dataset.itemId ?? '';
    target.focus();
    await user.keyboard('m');
    await waitFor(() => {
      expect(ids()).not.toContain(id);
    });
    expect(screen.getByTestId('feedback-message').textContent).toMatch(/^Muted /);
    await waitFor(async () => {
      expect((await fx.service.learnedPreferences()).mutes).toHaveLength(1);
    });
    await user.keyboard('u');
    await waitFor(() => {
      expect(ids()).toContain(id);
    });
    await waitFor(async () => {
      expect((await fx.service.learnedPreferences()).mutes).toHaveLength(0);
    });

    // A news item with a link: o opens it in a new window, and it shows as read.
    const news = within(screen.getByRole('heading', { name: 'Tech' }).closest('section') as HTMLElement);
    const story = news.getAllByTestId('brief-item')[0] as HTMLElement;
    story.focus();
    await user.keyboard('o');
    expect(opened).toHaveBeenCalledWith(expect.stringMatching(/^https?:/), '_blank', 'noopener,noreferrer');
    await waitFor(() => {
      expect(story.className).toMatch(/\bopened\b/);
    });
  });

  it('a key acts on the item whose button has the focus (Tab into a card selects it)', async () => {
    const { client } = await seeded();
    render(<App client={client} now={() => new Date(MORNING)} />);
    const user = userEvent.setup();
    await findBrief();
    const cards = screen.getAllByTestId('brief-item');
    (cards[0] as HTMLElement).focus();
    const second = cards[1] as HTMLElement;
    const more = within(second).getByRole('button', { name: /^More like this: / });
    more.focus();
    await waitFor(() => {
      expect(second.getAttribute('aria-current')).toBe('true');
    });
    await user.keyboard('+');
    await waitFor(() => {
      expect(more.getAttribute('aria-pressed')).toBe('true');
    });
    expect(
      within(cards[0] as HTMLElement)
        .getByRole('button', { name: /^More like this: / })
        .getAttribute('aria-pressed'),
    ).toBe('false');
  });

  it('? lists every shortcut in a dialog; Esc leaves the ask box', async () => {
    const { client } = await seeded();
    render(<App client={client} now={() => new Date(MORNING)} />);
    const user = userEvent.setup();
    await findBrief();
    await user.keyboard('?');
    const dialog = await screen.findByRole('dialog', { name: 'Keyboard shortcuts' });
    for (const key of ['j', 'k', 'o', '+', '−', 'm', 'u', 'r', '/', '?', 'Esc']) {
      expect(within(dialog).getByText(key, { selector: 'kbd' })).toBeTruthy();
    }
    await user.click(within(dialog).getByRole('button', { name: 'Close' }));
    await waitFor(() => {
      expect(screen.queryByRole('dialog')).toBeNull();
    });
    const box = screen.getByRole('searchbox', { name: 'Ask about your briefs' });
    await user.keyboard('/');
    await waitFor(() => {
      expect(document.activeElement).toBe(box);
    });
    await user.keyboard('{Escape}');
    expect(document.activeElement).not.toBe(box);
  });
});
