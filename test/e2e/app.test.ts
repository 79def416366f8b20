import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../core/time.ts';
import type { Brief } from '../../core/types.ts';
import { launchChromium, startAppFixture, type AppFixture } from '../helpers/app-fixture.ts';
import { briefShown } from '../helpers/brief-page.ts';

// One browser and one page for the file; each test starts from a fresh load of the served app.
let app: AppFixture;
let browser: Browser;
let page: Page;
const consoleErrors: string[] = [];

beforeAll(async () => {
  [app, browser] = await Promise.all([startAppFixture(), launchChromium()]);
  page = await browser.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => consoleErrors.push(error.message));
}, 60_000);

afterAll(async () => {
  // beforeAll may have failed half-way.
  await (browser as Browser | undefined)?.close();
  await (app as AppFixture | undefined)?.close();
});

async function open(): Promise<void> {
  // The token is in the fragment: from the same page, going to the link again would not reload it.
  await page.goto('about:blank');
  await page.goto(app.url);
  await briefShown(page);
}

function itemIds(items: Locator): Promise<(string | null)[]> {
  return items.all().then((all) => Promise.all(all.map((item) => item.getAttribute('data-item-id'))));
}

async function brief(name: 'brief/latest' | 'brief/byDate', args: object): Promise<Brief> {
  const response = await fetch(`${app.origin}/api/${name}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-daily-brief-token': app.token },
    body: JSON.stringify(args),
  });
  return ((await response.json()) as { value: Brief }).value;
}

async function latest(): Promise<Brief> {
  return brief('brief/latest', {});
}

describe('daily-brief serve in Chromium', () => {
  it('shows the cached brief on open, then takes the token out of the address bar', async () => {
    await open();
    const brief = await latest();
    // Yesterday's items do not lead again, so today's TL;DR may be shorter than three; it is never empty.
    expect(brief.tldr.length).toBeGreaterThan(0);
    expect(await page.getByTestId('brief-tldr').locator('li').count()).toBe(brief.tldr.length);
    const ids = await itemIds(page.getByTestId('brief-item'));
    expect(new Set(ids)).toEqual(new Set(brief.sections.flatMap((s) => s.items.map((i) => i.id))));
    expect(page.url()).not.toContain('token=');
    expect(await page.getByRole('heading', { name: 'Weather in Berlin' }).isVisible()).toBe(true);
    // The strict CSP holds: nothing the page needs was refused, and nothing failed.
    expect(consoleErrors).toEqual([]);
  });

  it('re-orders at once on a vote, then shows the app’s re-ranked order', async () => {
    await open();
    const tech = page.locator('section', { has: page.getByRole('heading', { name: 'Tech', exact: true }) });
    const order = () => itemIds(tech.getByTestId('brief-item'));
    // The page lists today's new items first, then (folded) those seen on an earlier day, each in rank order.
    const pageOrder = (items: Brief['sections'][number]['items']) =>
      [...items.filter((i) => !i.firstShownOn), ...items.filter((i) => i.firstShownOn)].map((i) => i.id);
    const before = await order();
    // The fixture's yesterday had all but the first story of each feed: the rest are "Seen before", folded.
    await tech.getByText(/^Seen before/).click();
    const first = tech.locator('.seen-before').getByTestId('brief-item').first();
    const topId = (await first.getAttribute('data-item-id')) ?? '';
    const title = (await first.locator('.item-title').textContent()) ?? '';
    expect(before.length).toBeGreaterThan(2);
    // The vote's request is held on the wire, so what shows before the app answers is the page's own re-order.
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/api/feedback', async (route) => {
      await held;
      await route.continue();
    });
    await tech.getByRole('button', { name: `Less like this: ${title}` }).click();
    await expect.poll(async () => (await order()).at(-1), { timeout: 5000 }).toBe(topId);
    const answered = page.waitForResponse('**/api/feedback');
    release();
    await answered;
    await page.unroute('**/api/feedback');
    // The confirmation is where the eye is: fixed at the bottom of the viewport, with its Undo.
    await page.getByTestId('feedback-message').getByRole('button', { name: 'Undo' }).waitFor();
    const served = (await latest()).sections.find((s) => s.kind === 'tech')?.items ?? [];
    expect(served.find((i) => i.id === topId)?.vote).toBe('down');
    await expect.poll(order, { timeout: 5000 }).toEqual(pageOrder(served));
    const voted = tech.locator(`[data-item-id="${topId}"]`);
    expect(await voted.getByRole('button', { name: `Less like this: ${title}` }).getAttribute('aria-pressed')).toBe(
      'true',
    );
  });

  it('shows live per-source progress while it refreshes', async () => {
    await open();
    const generatedBefore = (await latest()).generatedAt;
    // Long enough that "fetching" is on screen for a while, however busy the machine is.
    const tech = app.feeds.routes.tech;
    if (tech) tech.delayMs = 1500;
    await page.getByRole('button', { name: 'Refresh', exact: true }).click();
    const progress = page.getByTestId('refresh-progress');
    const wait = { timeout: 10_000 };
    await progress.getByText('News feeds…').waitFor(wait);
    await progress.getByText(/^Fetching \d+ sources?…$/).waitFor(wait);
    expect(await page.getByRole('button', { name: 'Refreshing…' }).isDisabled()).toBe(true);
    // A tick for the weather while the slow feeds are still on their way.
    await progress.getByText(/^Weather: 1 item$/).waitFor(wait);
    expect(await progress.getByText('News feeds…').isVisible()).toBe(true);
    await page.getByRole('button', { name: 'Refresh', exact: true }).waitFor(wait);
    // Then it is gone.
    await expect.poll(() => progress.textContent(), wait).toBe('');
    expect((await latest()).generatedAt).not.toBe(generatedBefore);
    if (tech) tech.delayMs = 250;
  });

  it('shows each field its error and leaves settings.json as it was', async () => {
    await open();
    const before = readFileSync(app.settingsPath, 'utf8');
    await page.getByRole('button', { name: 'Settings' }).click();
    await page.getByLabel('Feed or website address').fill('file:///etc/passwd');
    await page.getByRole('button', { name: 'Add feed' }).click();
    await page.getByText('Enter a web address that starts with https:// or http://.').waitFor();
    expect(await page.getByLabel('Feed or website address').getAttribute('aria-invalid')).toBe('true');
    await page.getByLabel('Time zone').fill('Nowhere/Special');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page
      .getByRole('alert')
      .getByText(/Nothing was saved/)
      .waitFor();
    expect(await page.getByText('Choose a time zone such as Europe/Berlin.').isVisible()).toBe(true);
    expect(readFileSync(app.settingsPath, 'utf8')).toBe(before);
  });

  it('lists briefs by date, says what is new since yesterday, and opens an earlier one', async () => {
    await open();
    const today = await latest();
    await page.getByRole('button', { name: 'History' }).click();
    const list = page.getByTestId('history-list');
    await expect.poll(() => list.getByRole('button').count(), { timeout: 5000 }).toBe(2);
    const fresh = page.getByTestId('new-since');
    await fresh.waitFor();
    const yesterday = await brief('brief/byDate', { date: addDays(today.date, -1) });
    const before = new Set(yesterday.sections.flatMap((s) => s.items.map((i) => i.id)));
    const expected = today.sections.flatMap((s) => s.items.filter((i) => !before.has(i.id)).map((i) => i.title));
    expect(expected.length).toBeGreaterThan(0);
    expect((await fresh.locator('li').allTextContents()).sort()).toEqual(expected.sort());
    await list.getByRole('button').nth(1).click();
    await page.getByText(/^Showing the brief of /).waitFor();
    const shown = await itemIds(page.getByTestId('brief-item'));
    expect(shown).not.toContain(today.sections[0]?.items[0]?.id);
    await page.getByRole('button', { name: 'Back to today' }).click();
    await briefShown(page);
    expect(await itemIds(page.getByTestId('brief-item'))).toContain(today.sections[0]?.items[0]?.id);
  });

  it('has no accessibility violations (axe-core) on the brief and the settings', async () => {
    await open();
    const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
    // Evaluated through the DevTools protocol, so the page's CSP (which would refuse an injected script) still holds.
    await page.evaluate(axeSource);
    const audit = () =>
      page.evaluate<string[]>(
        'axe.run().then((r) => r.violations.map((v) => v.id + ": " + v.help + " " + v.nodes.map((n) => n.target).join(" ")))',
      );
    expect(await audit()).toEqual([]);
    await page.getByRole('button', { name: 'Settings' }).click();
    await page.getByLabel('Feed or website address').waitFor();
    expect(await audit()).toEqual([]);
    // A feed that cannot be read: the sentence and the button that adds it anyway.
    await page.getByLabel('Feed or website address').fill(app.feeds.url('missing'));
    await page.getByRole('button', { name: 'Add feed' }).click();
    await page.getByRole('button', { name: 'Add it anyway' }).waitFor();
    expect(await audit()).toEqual([]);
  });
});
