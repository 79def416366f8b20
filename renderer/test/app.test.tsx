import './setup.ts';
import { findBrief } from './find-brief.ts';
// @vitest-environment jsdom
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanup, render, screen, waitFor, within } from '@testing-library/preact';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { demoConnectors } from '../../connectors/demo/demo.ts';
import type { AppEvent } from '../../contract/events.ts';
import { fakeConnector, newsItem } from '../../test/helpers/fake-connectors.ts';
import { startServeFixture, type ServeFixture } from '../../test/helpers/serve-fixture.ts';
import { App } from '../src/App.tsx';
import { httpClient } from '../src/client/http.ts';

const fixtures: ServeFixture[] = [];
afterEach(async () => {
  cleanup();
  for (const fx of fixtures.splice(0)) await fx.close();
});

const MORNING = '2026-12-01T06:00:00.000Z';

/** A real service with one stored brief, behind a real `serve`; the UI talks to it with the real HTTP client. */
async function seeded(options: Parameters<typeof startServeFixture>[0] = {}) {
  const fx = await startServeFixture({ now: MORNING, ...options });
  fixtures.push(fx);
  await fx.service.refresh({ trigger: 'test' });
  const client = httpClient({ baseUrl: fx.baseUrl, token: fx.server.token });
  const events: AppEvent[] = [];
  fx.service.watch((event) => events.push(event));
  return { fx, client, events };
}

describe('the brief on open', () => {
  it('shows the cached brief at once and does not refresh a brief of today', async () => {
    const { client, events } = await seeded();
    render(<App client={client} now={() => new Date('2026-12-01T09:00:00.000Z')} />);
    const tldr = await findBrief();
    expect(within(tldr).getAllByRole('listitem')).toHaveLength(3);
    const items = screen.getAllByTestId('brief-item');
    expect(items.length).toBeGreaterThan(5);
    expect(items.every((item) => item.dataset.itemId)).toBe(true);
    expect(screen.getByRole('heading', { name: /Weather in Sample City/ })).toBeTruthy();
    expect(screen.getByRole('heading', { name: 'Calendar' })).toBeTruthy();
    // Meeting times in the brief's zone; one on another day says which.
    expect(screen.getByText('09:30–09:45')).toBeTruthy();
    expect(screen.getByText('Wed 08:15–09:00')).toBeTruthy();
    // Sections in the page's order: the day's calendar, email, then markets before tech.
    const headings = screen.getAllByRole('heading', { level: 2 }).map((h) => h.textContent);
    expect(headings.indexOf('Calendar')).toBeLessThan(headings.indexOf('Email'));
    expect(headings.indexOf('Markets')).toBeLessThan(headings.indexOf('Tech'));
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(events).toEqual([]);
    expect(screen.getByRole('button', { name: 'Refresh' })).toHaveProperty('disabled', false);
  });

  it('mounts onto a brief read before React started (no wait), and still refreshes it when it is stale', async () => {
    const { client, events } = await seeded();
    const brief = await client['brief/latest']({});
    const first = { brief };
    render(<App client={client} cached={Promise.resolve(brief)} first={first} now={() => new Date(MORNING)} />);
    // Already there on the first render: no find, no wait.
    expect(within(screen.getByTestId('brief-tldr')).getAllByRole('listitem').length).toBeGreaterThan(0);
    cleanup();
    render(
      <App
        client={client}
        cached={Promise.resolve(brief)}
        first={first}
        now={() => new Date('2026-12-02T08:00:00.000Z')}
      />,
    );
    expect(screen.getByTestId('brief-tldr')).toBeTruthy();
    await waitFor(() => {
      expect(events.length).toBeGreaterThan(0);
    });
  });

  it('keeps a stale brief on screen while it refreshes in the background, with per-source progress', async () => {
    const slow = fakeConnector('slowfeed', { items: [newsItem('slowfeed', 1)], delayMs: 1000 });
    const { fx, client } = await seeded({ connectors: [...demoConnectors(), slow.connector] });
    fx.setNow('2026-12-02T06:00:00.000Z');
    render(<App client={client} now={() => new Date('2026-12-02T08:00:00.000Z')} />);
    expect(await findBrief()).toBeTruthy();
    expect(screen.getByText('Tuesday, 1 December 2026')).toBeTruthy();
    const progress = screen.getByTestId('refresh-progress');
    expect(await within(progress).findByText('Slowfeed…')).toBeTruthy();
    expect(within(progress).getByText(/^Fetching \d+ sources?…$/)).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Refreshing…' })).toHaveProperty('disabled', true);
    expect(await screen.findByText('Wednesday, 2 December 2026', {}, { timeout: 5000 })).toBeTruthy();
    // Once the brief is in, the progress goes.
    await waitFor(() => {
      expect(progress.textContent).toBe('');
    });
    expect(screen.getByTestId('brief-tldr')).toBeTruthy();
  });

  it('renders feed text as text and links only to http(s), in a new window without a referrer', async () => {
    const hostile = fakeConnector('hostile', {
      items: [
        newsItem('hostile', 1, {
          title: '<img src=x onerror="window.pwned=1">Breaking',
          snippet: '<script>window.pwned=2</script>',
          url: 'javascript:window.pwned=3',
        }),
        newsItem('hostile', 2, { title: 'Fine story', url: 'https://example.com/fine' }),
      ],
    });
    const { client } = await seeded({ connectors: [hostile.connector] });
    const { container } = render(<App client={client} now={() => new Date(MORNING)} />);
    const bad = await screen.findByText('<img src=x onerror="window.pwned=1">Breaking');
    expect(bad.tagName).toBe('SPAN');
    expect(screen.getByText('<script>window.pwned=2</script>')).toBeTruthy();
    expect(container.querySelector('img, script')).toBeNull();
    expect(container.querySelector('a[href^="javascript"]')).toBeNull();
    const fine = screen.getByRole('link', { name: 'Fine story' });
    expect(fine.getAttribute('href')).toBe('https://example.com/fine');
    expect(fine.getAttribute('target')).toBe('_blank');
    expect(fine.getAttribute('rel')).toBe('noopener noreferrer');
  });
});

describe('source health', () => {
  it('shows a failed source with its error, its last success and the time its stale data dates from', async () => {
    const flaky = fakeConnector('flaky', { items: [newsItem('flaky', 1, { title: 'Kept from before' })] });
    const { fx, client } = await seeded({ connectors: [flaky.connector] });
    fx.setNow('2026-12-01T07:00:00.000Z');
    flaky.state.behaviour = { fail: 'feed host is down' };
    await fx.service.refresh({ trigger: 'test' });
    render(<App client={client} now={() => new Date('2026-12-01T07:30:00.000Z')} />);
    // The reading view says it in words and points to Status; the error itself is only there.
    const item = (await screen.findByText('Kept from before')).closest('li') as HTMLElement;
    expect(within(item).getByText('from earlier')).toBeTruthy();
    expect(screen.queryByText(/feed host is down/)).toBeNull();
    await userEvent.setup().click(screen.getByRole('button', { name: '1 source had a problem' }));
    const health = await screen.findByRole('region', { name: 'Sources' });
    const line = (await within(health).findByText('Flaky')).closest('li') as HTMLElement;
    expect(line.textContent).toMatch(/^Flaky failing/);
    expect(within(line).getByText(/showing data from Tue 1 Dec, 06:00/)).toBeTruthy();
    expect(within(line).getByText('1 hr ago').getAttribute('title')).toBe('Tue 1 Dec, 06:00');
    expect(within(line).getByText(/feed host is down/)).toBeTruthy();
  });
});

describe('keyboard', () => {
  it('j and k move through the items, / goes to the ask box, r refreshes', async () => {
    const { client, events } = await seeded();
    render(<App client={client} now={() => new Date(MORNING)} />);
    await findBrief();
    const user = userEvent.setup();
    const items = screen.getAllByTestId('brief-item');
    await user.keyboard('j');
    expect(items[0]?.getAttribute('aria-current')).toBe('true');
    expect(document.activeElement).toBe(items[0]);
    await user.keyboard('jj');
    expect(items[2]?.getAttribute('aria-current')).toBe('true');
    await user.keyboard('k');
    expect(items[1]?.getAttribute('aria-current')).toBe('true');
    expect(items[2]?.getAttribute('aria-current')).toBeNull();
    await user.keyboard('/');
    await waitFor(() => {
      expect(document.activeElement).toBe(screen.getByRole('searchbox', { name: 'Ask about your briefs' }));
    });
    // Typed into the box, r is a letter, not a refresh.
    await user.keyboard('r');
    expect(screen.getByRole<HTMLInputElement>('searchbox', { name: 'Ask about your briefs' }).value).toBe('r');
    expect(events).toEqual([]);
    (document.activeElement as HTMLElement).blur();
    await user.keyboard('r');
    await waitFor(() => {
      expect(events.some((e) => e.type === 'brief-ready')).toBe(true);
    });
  });
});

describe('ask', () => {
  it('answers from memory with its sources', async () => {
    const { client } = await seeded();
    render(<App client={client} now={() => new Date(MORNING)} />);
    const user = userEvent.setup();
    await user.type(await screen.findByRole('searchbox', { name: 'Ask about your briefs' }), 'Northwind renewal');
    await user.click(screen.getByRole('button', { name: 'Ask' }));
    const answer = await screen.findByTestId('ask-answer', {}, { timeout: 10_000 });
    const sources = within(answer).getByRole('list', { name: 'Sources' });
    expect(within(sources).getAllByRole('listitem').length).toBeGreaterThan(0);
    expect(sources.textContent).toMatch(/Northwind/);
  });
});

describe('settings', () => {
  it('shows each field its error and saves nothing until everything is valid', async () => {
    // As the desktop app, where starting at login is a setting too.
    const { fx, client } = await seeded({ here: { desktop: true, schedule: true } });
    render(<App client={client} now={() => new Date(MORNING)} />);
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Settings' }));
    const url = await screen.findByLabelText('Feed or website address');
    await user.type(url, 'not a url');
    await user.click(screen.getByRole('button', { name: 'Add feed' }));
    expect(await screen.findByText('Enter a web address that starts with https:// or http://.')).toBeTruthy();
    expect(url.getAttribute('aria-invalid')).toBe('true');
    expect(screen.queryByRole('button', { name: 'Remove feed not a url' })).toBeNull();

    // Nothing listens there (the app reads a new feed before adding it, and a test never goes to the internet).
    await user.clear(url);
    await user.type(url, 'http://127.0.0.1:9/new.xml');
    await user.click(screen.getByRole('button', { name: 'Add feed' }));
    await user.click(await screen.findByRole('button', { name: 'Add it anyway' }));
    expect(await screen.findByRole('button', { name: 'Remove feed http://127.0.0.1:9/new.xml' })).toBeTruthy();

    const zone = screen.getByLabelText('Time zone');
    // A searchable list of every zone the browser knows.
    const zones = document.getElementById(zone.getAttribute('list') ?? '');
    expect([...(zones?.querySelectorAll('option') ?? [])].map((o) => o.value)).toContain('Europe/Oslo');
    await user.clear(zone);
    await user.type(zone, 'Mars/Olympus');
    const every = screen.getByLabelText(/^Also refresh every/);
    await user.type(every, '2');
    await user.click(screen.getByRole('button', { name: 'Save settings' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Nothing was saved: 2 fields need fixing.');
    expect(screen.getByText('Choose a time zone such as Europe/Berlin.')).toBeTruthy();
    expect(zone.getAttribute('aria-invalid')).toBe('true');
    expect(every.getAttribute('aria-invalid')).toBe('true');
    expect(document.querySelector('[data-field-error="schedule.everyMinutes"]')?.textContent).toBe(
      'Choose at least 5.',
    );
    const file = join(fx.dataDir, 'settings.json');
    expect(existsSync(file)).toBe(false);

    await user.clear(zone);
    await user.type(zone, 'Europe/Oslo');
    await user.clear(every);
    await user.type(every, '30');
    const daily = screen.getByLabelText(/^Daily brief at/);
    await user.clear(daily);
    await user.type(daily, '07:15');
    await user.click(screen.getByLabelText(/Start Daily Brief when you log in/));
    await user.selectOptions(screen.getByLabelText('Theme'), 'dark');
    // "No model" is a choice of its own, and the model field goes with it.
    const writer = screen.getByLabelText('Who writes the brief');
    await user.selectOptions(writer, 'ollama');
    expect(screen.getByLabelText('Model')).toBeTruthy();
    await user.selectOptions(writer, 'none');
    expect(screen.queryByLabelText('Model')).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Save settings' }));
    expect(await screen.findByText('Saved.')).toBeTruthy();
    const saved = JSON.parse(readFileSync(file, 'utf8')) as {
      location: { timezone: string };
      schedule: unknown;
      desktop: unknown;
      ui: { theme: string };
      llm: { provider: string };
      sources: { rss: { feeds: { url: string }[] } };
    };
    expect(saved.location.timezone).toBe('Europe/Oslo');
    expect(saved.schedule).toEqual({ dailyAt: '07:15', everyMinutes: 30 });
    expect(saved.desktop).toEqual({ startAtLogin: true });
    expect(saved.ui.theme).toBe('dark');
    expect(saved.llm.provider).toBe('none');
    expect(saved.sources.rss.feeds.map((f) => f.url)).toContain('http://127.0.0.1:9/new.xml');
    expect(document.documentElement.dataset.theme).toBe('dark');
  });
});

describe('history', () => {
  it('lists briefs by date, says what is new since the day before, and opens an earlier brief', async () => {
    const extra = fakeConnector('extra', { items: [] });
    const { fx, client } = await seeded({ connectors: [...demoConnectors(), extra.connector] });
    fx.setNow('2026-12-02T06:00:00.000Z');
    extra.state.behaviour = { items: [newsItem('extra', 7, { title: 'Only on Wednesday' })] };
    await fx.service.refresh({ trigger: 'test' });
    render(<App client={client} now={() => new Date('2026-12-02T07:00:00.000Z')} />);
    const user = userEvent.setup();
    await findBrief();
    await user.click(screen.getByRole('button', { name: 'History' }));
    const list = await screen.findByTestId('history-list');
    await waitFor(() => {
      expect(
        within(list)
          .getAllByRole('button')
          .map((b) => b.textContent),
      ).toEqual(['Wednesday, 2 December 2026', 'Tuesday, 1 December 2026']);
    });
    // Each day with the first line of its TL;DR, and only that.
    const first = within(list).getAllByRole('listitem')[0] as HTMLElement;
    const lead = fx.service.latestBrief()?.tldr[0]?.text ?? '';
    expect(lead).not.toBe('');
    expect(first.querySelector('.history-lead')?.textContent).toBe(lead);
    expect(first.querySelectorAll('.history-lead')).toHaveLength(1);
    const fresh = await screen.findByTestId('new-since');
    expect(fresh.textContent).toMatch(/New since Tuesday, 1 December 2026/);
    expect(within(fresh).getByText('Only on Wednesday')).toBeTruthy();
    await user.click(within(list).getByRole('button', { name: 'Tuesday, 1 December 2026' }));
    expect(await screen.findByText(/Showing the brief of Tuesday, 1 December 2026/)).toBeTruthy();
    expect(screen.queryByText('Only on Wednesday')).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Back to today' }));
    const item = (await screen.findByText('Only on Wednesday')).closest('li') as HTMLElement;
    // Marked new on the brief itself too; items that were there on Tuesday are not.
    expect(within(item).getByText('New')).toBeTruthy();
    expect(screen.getAllByText('New')).toHaveLength(1);
  });
});
