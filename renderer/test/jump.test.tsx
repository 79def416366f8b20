import './setup.ts';
import { findBrief } from './find-brief.ts';
// @vitest-environment jsdom
import { options } from 'preact';
import { act } from 'preact/test-utils';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { demoConnectors } from '../../connectors/demo/demo.ts';
import { fakeConnector, newsItem } from '../../test/helpers/fake-connectors.ts';
import { startServeFixture, type ServeFixture } from '../../test/helpers/serve-fixture.ts';
import { App } from '../src/App.tsx';
import { httpClient } from '../src/client/http.ts';
import { itemDomId } from '../src/format.ts';

/**
 * Going to an item whose card is not on the page yet. The cards below the TL;DR render from an effect, after the
 * first paint (see BriefView); a jump in that gap waits for them. A jump to an item that never shows up is dropped
 * when the view changes.
 */

const fixtures: ServeFixture[] = [];
/** Preact's after-paint effects, held back (see holdEffects). */
const held: (() => void)[] = [];
afterEach(async () => {
  releaseEffects();
  cleanup();
  for (const fx of fixtures.splice(0)) await fx.close();
});

const MORNING = '2026-12-01T06:00:00.000Z';

async function seeded(fixtureOptions: Parameters<typeof startServeFixture>[0] = {}) {
  const fx = await startServeFixture({ now: MORNING, ...fixtureOptions });
  fixtures.push(fx);
  await fx.service.refresh({ trigger: 'test' });
  return { fx, client: httpClient({ baseUrl: fx.baseUrl, token: fx.server.token }) };
}

/**
 * Effects that Preact runs after the next paint wait until released (or until the next event a test fires, which
 * Testing Library wraps in `act`): the page stays as it is between the TL;DR's paint and the cards', for as long as a
 * test needs, as on a slow machine.
 */
function holdEffects(): void {
  options.requestAnimationFrame = (callback) => {
    held.push(callback);
  };
}

function releaseEffects(): void {
  options.requestAnimationFrame = undefined;
  void act(() => {
    for (const callback of held.splice(0)) callback();
  });
}

const card = (itemId: string) => document.getElementById(itemDomId(itemId));

describe('a jump before the cards are on the page', () => {
  it('a TL;DR source clicked before its card exists focuses the card once it does', async () => {
    const { client } = await seeded();
    holdEffects();
    render(<App client={client} now={() => new Date(MORNING)} />);
    const tldr = await screen.findByTestId('brief-tldr');
    const source = within(tldr).getAllByRole('link', { name: /^Go to source 1: / })[0] as HTMLAnchorElement;
    const domId = source.hash.slice(1);
    // The TL;DR is painted; the cards are not there yet.
    expect(screen.queryByTestId('brief-end')).toBeNull();
    expect(document.getElementById(domId)).toBeNull();

    fireEvent.click(source);
    await findBrief();
    const target = document.getElementById(domId);
    expect(target).not.toBeNull();
    await waitFor(() => {
      expect(document.activeElement).toBe(target);
    });
    expect(target?.getAttribute('aria-current')).toBe('true');
  });

  it('j pressed before the cards exist focuses the first item once they do', async () => {
    const { client } = await seeded();
    holdEffects();
    render(<App client={client} now={() => new Date(MORNING)} />);
    await screen.findByTestId('brief-tldr');
    expect(screen.queryAllByTestId('brief-item')).toHaveLength(0);

    fireEvent.keyDown(document.body, { key: 'j' });
    await findBrief();
    const first = screen.getAllByTestId('brief-item')[0] as HTMLElement;
    await waitFor(() => {
      expect(document.activeElement).toBe(first);
    });
    expect(first.getAttribute('aria-current')).toBe('true');
  });
});

describe('a jump to an item that is never found', () => {
  it('is dropped when the view changes: opening the brief that has it later does not focus it', async () => {
    // Tuesday's brief has a story that Wednesday's does not.
    const extra = fakeConnector('extra', {
      items: [
        newsItem('extra', 7, {
          origin: 'Harbour Gazette',
          title: 'Harbour tunnel closes for repairs',
          snippet: 'The harbour tunnel closes for two weeks of repairs.',
          publishedAt: '2026-12-01T05:00:00.000Z',
        }),
      ],
    });
    const { fx, client } = await seeded({ connectors: [...demoConnectors(), extra.connector] });
    fx.setNow('2026-12-02T06:00:00.000Z');
    extra.state.behaviour = { items: [] };
    await fx.service.refresh({ trigger: 'test' });
    const storyId = 'extra:7';
    render(<App client={client} now={() => new Date('2026-12-02T07:00:00.000Z')} />);
    const user = userEvent.setup();
    await findBrief();
    expect(card(storyId)).toBeNull();

    // On Tuesday's brief, an answer cites the story, which is on the page: its title goes to the card.
    const openTuesday = async () => {
      await user.click(screen.getByRole('button', { name: 'History' }));
      await user.click(await screen.findByRole('button', { name: 'Tuesday, 1 December 2026' }));
      await screen.findByText(/Showing the brief of Tuesday, 1 December 2026/);
      await findBrief();
    };
    await openTuesday();
    expect(card(storyId)).not.toBeNull();
    await user.type(screen.getByRole('searchbox', { name: 'Ask about your briefs' }), 'harbour tunnel');
    await user.click(screen.getByRole('button', { name: 'Ask' }));
    const answer = await screen.findByTestId('ask-answer', {}, { timeout: 10_000 });
    const cited = within(answer).getByRole('link', { name: 'Harbour tunnel closes for repairs' });
    expect(cited.getAttribute('href')).toBe(`#${itemDomId(storyId)}`);

    // Back on Wednesday's brief the answer is still there, and its title still goes to a card that is gone.
    await user.click(screen.getByRole('button', { name: 'Back to today' }));
    await waitFor(() => {
      expect(card(storyId)).toBeNull();
    });
    expect(cited.isConnected).toBe(true);
    await user.click(cited);
    expect(card(storyId)).toBeNull();

    // Later, Tuesday's brief again: the story is there, and the jump asked for long ago does not take the focus.
    performance.clearMarks('brief-items-visible');
    await openTuesday();
    const story = card(storyId);
    expect(story).not.toBeNull();
    // The cards are on the page and BriefView has said so: the mark is made just before it calls onItemsShown.
    await waitFor(() => {
      expect(performance.getEntriesByName('brief-items-visible')).toHaveLength(1);
    });
    expect(document.activeElement).not.toBe(story);
  });
});
