import './setup.ts';
import { findBrief } from './find-brief.ts';
// @vitest-environment jsdom
import { createRef } from 'react';
import { cleanup, render, screen, waitFor, within } from '@testing-library/preact';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { fakeConnector, newsItem } from '../../test/helpers/fake-connectors.ts';
import { startServeFixture, type ServeFixture } from '../../test/helpers/serve-fixture.ts';
import { startOllamaServer, type ChatRequest, type OllamaServer } from '../../test/fakes/ollama-server.ts';
import { idsInRequest, isWriteCall, briefReply, llmSettings } from '../../test/helpers/llm.ts';
import { App } from '../src/App.tsx';
import { AskBox } from '../src/ask/AskBox.tsx';
import { httpClient } from '../src/client/http.ts';

const fixtures: ServeFixture[] = [];
const servers: OllamaServer[] = [];
afterEach(async () => {
  cleanup();
  for (const fx of fixtures.splice(0)) await fx.close();
  for (const server of servers.splice(0)) await server.close();
});

const MORNING = '2026-12-01T06:00:00.000Z';

/** A real service with one stored brief behind a real `serve`, and the real HTTP client to it. */
async function served(options: Parameters<typeof startServeFixture>[0] = {}) {
  const fx = await startServeFixture({ now: MORNING, ...options });
  fixtures.push(fx);
  await fx.service.refresh({ trigger: 'test' });
  // Wrapped: the client answers every property, `then` too, so it cannot be what a promise resolves to.
  return { client: httpClient({ baseUrl: fx.baseUrl, token: fx.server.token }) };
}

async function ask(question: string): Promise<HTMLElement> {
  const user = userEvent.setup();
  await user.type(await screen.findByRole('searchbox', { name: 'Ask about your briefs' }), question);
  await user.click(screen.getByRole('button', { name: 'Ask' }));
  return screen.findByTestId('ask-answer', {}, { timeout: 10_000 });
}

const cardOf = (answer: HTMLElement, title: string) => within(answer).getByText(title).closest('li') as HTMLElement;

describe('ask, without a model', () => {
  it('says where it found the matches, then shows them as cards that go to the item on the page', async () => {
    const { client } = await served();
    render(<App client={client} now={() => new Date(MORNING)} />);
    await findBrief();
    const answer = await ask('Northwind');
    expect(answer.firstElementChild?.textContent).toBe('Found in your briefs:');
    // The matches are the answer: not said twice, once as a numbered text and once as cards.
    expect(answer.textContent).not.toMatch(/No model could answer|closest matches/);
    const sources = within(answer).getByRole('list', { name: 'Sources' });
    expect(within(sources).getAllByRole('listitem').length).toBeGreaterThan(1);

    const mail = cardOf(answer, 'Contract redlines needed by 3pm today');
    expect(mail.querySelector('.mark')?.textContent).toBe('P');
    expect(within(mail).getByText(/^Priya Raman/)).toBeTruthy();
    expect(within(mail).getByText(/^Legal has returned the redlines on the Northwind renewal/)).toBeTruthy();
    const time = mail.querySelector('time');
    expect(time?.getAttribute('dateTime')).toBe('2026-12-01T05:05:00.000Z');
    // The mail is on the page: its title goes there, and the brief's item is selected and focused.
    const link = within(mail).getByRole('link', { name: 'Contract redlines needed by 3pm today' });
    expect(link.getAttribute('href')).toBe('#item-gmail_m-1001');
    expect(link.getAttribute('target')).toBeNull();
    await userEvent.setup().click(link);
    const item = document.getElementById('item-gmail_m-1001');
    await waitFor(() => {
      expect(document.activeElement).toBe(item);
    });
    expect(item?.getAttribute('aria-current')).toBe('true');
  });

  it('opens what is not on the page in a new window, and keeps feed text as text', async () => {
    const wire = fakeConnector('wire', {
      items: [
        newsItem('wire', 1, {
          origin: 'Wire A',
          title: 'Northwind <img src=x onerror="window.pwned=1"> merger',
          snippet: '<script>window.pwned=2</script> Northwind buys Acme.',
          url: 'https://example.com/northwind',
          publishedAt: '2026-12-01T04:00:00.000Z',
        }),
        newsItem('wire', 2, {
          origin: 'Wire B',
          title: 'Northwind sued',
          url: 'javascript:window.pwned=3',
          publishedAt: '2026-12-01T05:00:00.000Z',
        }),
      ],
    });
    const { client } = await served({ connectors: [wire.connector] });
    const { container } = render(
      <AskBox
        client={client}
        inputRef={createRef()}
        onJump={() => undefined}
        now={() => new Date(MORNING)}
        timezone="Europe/Berlin"
      />,
    );
    const answer = await ask('Northwind');
    const merger = cardOf(answer, 'Northwind <img src=x onerror="window.pwned=1"> merger');
    const out = within(merger).getByRole('link');
    expect(out.getAttribute('href')).toBe('https://example.com/northwind');
    expect(out.getAttribute('target')).toBe('_blank');
    expect(out.getAttribute('rel')).toBe('noopener noreferrer');
    expect(merger.querySelector('.item-meta')?.textContent).toBe('Wire A · 2 hr ago');
    expect(merger.querySelector('time')?.getAttribute('title')).toBe('Tue 1 Dec, 05:00');
    expect(within(merger).getByText('<script>window.pwned=2</script> Northwind buys Acme.')).toBeTruthy();
    // A link that is not http(s) is no link at all.
    const sued = cardOf(answer, 'Northwind sued');
    expect(within(sued).queryByRole('link')).toBeNull();
    expect(container.querySelector('img, script, a[href^="javascript"]')).toBeNull();
  });
});

describe('ask, with a model', () => {
  it('gives the one answer, then the cards it cites', async () => {
    const ollama = await startOllamaServer({
      models: ['llama3.2:3b', 'nomic-embed-text:latest'],
      respond: (request: ChatRequest) => {
        if (request.messages[0]?.content.startsWith('You answer the user')) {
          const cited = idsInRequest(request).filter((id) => id === 'calendar:e-2002');
          return { content: JSON.stringify({ answer: 'The renewal review is at 11:00 in Room 4B.', itemIds: cited }) };
        }
        return isWriteCall(request) ? briefReply(request) : { content: 'nothing to look up' };
      },
    });
    servers.push(ollama);
    const { client } = await served({ settings: llmSettings(ollama.baseUrl) });
    render(<AskBox client={client} inputRef={createRef()} onJump={() => undefined} now={() => new Date(MORNING)} />);
    const answer = await ask('When is the Northwind renewal review?');
    expect(answer.firstElementChild?.textContent).toBe('The renewal review is at 11:00 in Room 4B.');
    const cards = within(within(answer).getByRole('list', { name: 'Sources' })).getAllByRole('listitem');
    expect(cards).toHaveLength(1);
    const card = cards[0] as HTMLElement;
    expect(within(card).getByText('Northwind renewal review').className).toBe('item-title');
    expect(card.querySelector('.item-meta')?.textContent).toMatch(/^Calendar · /);
  });
});
