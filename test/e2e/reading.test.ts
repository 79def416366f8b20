import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Store } from '../../core/store/store.ts';
import { launchChromium, serveDataDir, startAppFixture, type AppFixture } from '../helpers/app-fixture.ts';
import { runCli } from '../helpers/cli.ts';
import { briefShown } from '../helpers/brief-page.ts';

// The reading experience as a person meets it: the sample day on a desk and on a phone, light and dark; a long
// brief; a first run where nothing can be reached. Real `daily-brief` processes, real Chromium.
type Served = Awaited<ReturnType<typeof serveDataDir>>;

const SIZES = [
  { width: 1280, height: 800 },
  { width: 390, height: 844 },
] as const;
const SCHEMES = ['light', 'dark'] as const;
/** Words that belong to the Status view or a terminal, never to the reading view. */
const TECHNICAL = /glibc|chroma|sqlite-vec|ENOTFOUND|getaddrinfo|settings\.json|--|`|\bstack\b|ECONNREFUSED/i;
const EMOJI = /\p{Extended_Pictographic}/u;

let browser: Browser;
let demoDir: string;
let demo: Served;
let app: AppFixture;
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

beforeAll(async () => {
  demoDir = mkdtempSync(join(tmpdir(), 'db-demo-'));
  const refreshed = await runCli(['--data-dir', demoDir, 'refresh', '--demo']);
  if (refreshed.code !== 0) throw new Error(`refresh --demo failed: ${refreshed.stderr}`);
  [browser, demo, app] = await Promise.all([launchChromium(), serveDataDir(demoDir, ['--demo']), startAppFixture()]);
}, 90_000);

afterAll(async () => {
  await (browser as Browser | undefined)?.close();
  await (demo as Served | undefined)?.close();
  await (app as AppFixture | undefined)?.close();
  rmSync(demoDir, { recursive: true, force: true });
});

async function pageAt(
  url: string,
  size: { width: number; height: number },
  scheme: 'light' | 'dark' = 'light',
): Promise<Page> {
  const page = await browser.newPage({ viewport: size, colorScheme: scheme });
  await page.goto(url);
  return page;
}

async function axeViolations(page: Page): Promise<string[]> {
  // Evaluated through the DevTools protocol, so the page's CSP (which would refuse an injected script) still holds.
  await page.evaluate(axeSource);
  return page.evaluate<string[]>(
    'axe.run().then((r) => r.violations.map((v) => v.id + ": " + v.help + " " + v.nodes.map((n) => n.target).join(" ")))',
  );
}

function sideways(page: Page): Promise<number> {
  return page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
}

describe('the sample day', () => {
  for (const size of SIZES) {
    for (const scheme of SCHEMES) {
      it(`reads cleanly at ${size.width}×${size.height} in ${scheme}`, async () => {
        const page = await pageAt(demo.url, size, scheme);
        try {
          const tldr = page.getByTestId('brief-tldr');
          await tldr.waitFor();
          // The brief first: the first TL;DR line is whole inside the first screen, even on a phone.
          const first = await tldr.locator('li').first().boundingBox();
          expect(first && first.y + first.height).toBeLessThanOrEqual(size.height);
          expect(await page.getByRole('heading', { level: 1 }).first().textContent()).toMatch(/December|\d{4}/);
          // The rest of the page checked once every card is on it.
          await briefShown(page);
          const text = await page.locator('body').innerText();
          expect(text).not.toMatch(TECHNICAL);
          expect(text).not.toMatch(EMOJI);
          expect(text).toContain('This is a sample day');
          expect(await sideways(page)).toBe(0);
          expect(await axeViolations(page)).toEqual([]);
        } finally {
          await page.close();
        }
      });
    }
  }

  it('focuses the ask box on / from any view', async () => {
    const page = await pageAt(demo.url, SIZES[0]);
    try {
      await briefShown(page);
      for (const view of ['Settings', 'History', 'Status']) {
        await page.getByRole('button', { name: view, exact: true }).click();
        await page.keyboard.press('/');
        // Read through the DevTools protocol: the page's CSP refuses the eval a polled predicate would need.
        await expect
          .poll(() => page.evaluate<string | null>("document.activeElement?.getAttribute('aria-label') ?? null"), {
            timeout: 5000,
          })
          .toBe('Ask about your briefs');
      }
    } finally {
      await page.close();
    }
  });

  it('keeps the technical notes for the Status view, and lists every shortcut on ?', async () => {
    const page = await pageAt(demo.url, SIZES[0]);
    try {
      await briefShown(page);
      await page.getByRole('button', { name: 'Status', exact: true }).click();
      await page.getByRole('heading', { name: 'Sources' }).waitFor();
      expect(await page.getByText('Hacker News').count()).toBeGreaterThan(0);
      expect(await axeViolations(page)).toEqual([]);
      await page.getByRole('button', { name: 'Today', exact: true }).click();
      await page.keyboard.press('?');
      const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
      await dialog.waitFor();
      for (const what of ['Next and previous item', 'Undo the last vote or mute', 'Ask a question']) {
        expect(await dialog.getByText(what).isVisible()).toBe(true);
      }
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'hidden' });
    } finally {
      await page.close();
    }
  });
});

describe('asking', () => {
  it('answers with the matches as cards, on a phone in the dark as well', async () => {
    const page = await pageAt(demo.url, SIZES[1], 'dark');
    try {
      await briefShown(page);
      await page.getByRole('searchbox', { name: 'Ask about your briefs' }).fill('Northwind renewal');
      await page.getByRole('button', { name: 'Ask', exact: true }).click();
      const answer = page.getByTestId('ask-answer');
      await answer.waitFor();
      expect(await answer.locator('p').first().textContent()).toBe('Found in your briefs:');
      const cards = answer.getByRole('list', { name: 'Sources' }).locator('li');
      expect(await cards.count()).toBeGreaterThan(1);
      expect(await cards.first().locator('.mark').isVisible()).toBe(true);
      const text = await answer.innerText();
      expect(text).not.toMatch(TECHNICAL);
      expect(text).not.toMatch(EMOJI);
      expect(await sideways(page)).toBe(0);
      expect(await axeViolations(page)).toEqual([]);
    } finally {
      await page.close();
    }
  });
});

describe('a long brief', () => {
  for (const size of SIZES) {
    it(`shows the Undo in view after a vote on the 12th item at ${size.width}×${size.height}`, async () => {
      const page = await pageAt(app.url, size);
      try {
        await briefShown(page);
        // Every folded "Seen before" list open, so the 12th item is the 12th on the page.
        for (const summary of await page.getByText(/^Seen before/).all()) await summary.click();
        const twelfth = page.getByTestId('brief-item').nth(11);
        await twelfth.scrollIntoViewIfNeeded();
        await twelfth.getByRole('button', { name: /^Less like this/ }).click();
        const undo = page.getByTestId('feedback-message').getByRole('button', { name: 'Undo' });
        await undo.waitFor();
        const box = await undo.boundingBox();
        expect(box).not.toBeNull();
        if (box) {
          expect(box.y).toBeGreaterThanOrEqual(0);
          expect(box.y + box.height).toBeLessThanOrEqual(size.height);
          expect(box.x + box.width).toBeLessThanOrEqual(size.width);
        }
        // Undo takes it back.
        await undo.click();
        await page.getByTestId('feedback-message').getByText('Undone.').waitFor();
      } finally {
        await page.close();
      }
    });
  }

  it('shows titles only in the compact density, chosen in Settings', async () => {
    const page = await pageAt(app.url, SIZES[0]);
    try {
      await briefShown(page);
      const snippet = page.locator('.item-snippet').first();
      expect(await snippet.isVisible()).toBe(true);
      await page.getByRole('button', { name: 'Settings', exact: true }).click();
      await page.getByLabel('Each item shows').selectOption('compact');
      await page.getByRole('button', { name: 'Save settings' }).click();
      await page.getByText('Saved.').waitFor();
      await page.getByRole('button', { name: 'Today', exact: true }).click();
      await briefShown(page);
      expect(await page.locator('.item-snippet').first().isVisible()).toBe(false);
      expect(await axeViolations(page)).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('never scrolls sideways, even for a title of a megabyte without a space', async () => {
    const store = Store.open(app.dataDir);
    try {
      const latest = store.latestBrief();
      const model = latest?.sections[0]?.items[0];
      if (!latest || !model) throw new Error('the fixture has a brief with items');
      const at = new Date(Date.parse(latest.generatedAt) + 60_000).toISOString();
      const huge = {
        ...model,
        id: 'rss:huge',
        title: 'W'.repeat(1_000_000),
        firstShownOn: undefined,
      };
      const sections = latest.sections.map((s, i) => (i === 0 ? { ...s, items: [huge, ...s.items] } : s));
      store.saveBrief(
        { ...latest, id: `${latest.id}-huge`, generatedAt: at, sections },
        store.startRun('test', at),
        at,
      );
    } finally {
      store.close();
    }
    for (const size of SIZES) {
      const page = await pageAt(app.url, size);
      try {
        await page.locator('[data-item-id="rss:huge"]').waitFor();
        expect(await sideways(page)).toBe(0);
      } finally {
        await page.close();
      }
    }
  });
});

describe('a first run', () => {
  it('welcomes, then says in one sentence that nothing could be fetched', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'db-first-'));
    // Every source points at a port nobody listens on: the network is "down", and nothing leaves the machine.
    const nowhere = 'http://127.0.0.1:9';
    const settings = {
      location: { name: 'Berlin', latitude: 52.52, longitude: 13.4, timezone: 'Europe/Berlin' },
      sources: {
        rss: { feeds: [{ url: `${nowhere}/feed.xml`, category: 'news', name: 'Morning Post' }] },
        hackernews: { baseUrl: nowhere },
        weather: { baseUrl: nowhere, geocodingBaseUrl: nowhere },
      },
      llm: { provider: 'none' },
      memory: { enabled: false },
    };
    writeFileSync(join(dataDir, 'settings.json'), JSON.stringify(settings));
    const served = await serveDataDir(dataDir);
    const page = await browser.newPage({ viewport: SIZES[1] });
    try {
      // The first refresh is held on the wire, so the welcome can be read before the brief arrives.
      let release: () => void = () => undefined;
      const held = new Promise<void>((resolve) => (release = resolve));
      await page.route('**/api/refresh', async (route) => {
        await held;
        await route.continue();
      });
      await page.goto(served.url);
      await page.getByRole('heading', { name: 'Welcome to Daily Brief' }).waitFor();
      expect(await page.getByRole('button', { name: 'Set up my sources' }).isVisible()).toBe(true);
      expect(await page.getByRole('button', { name: 'Try the sample day' }).isVisible()).toBe(true);
      expect(await axeViolations(page)).toEqual([]);
      release();
      const notice = page.getByText(/^Nothing could be fetched this time/);
      await notice.waitFor({ timeout: 20_000 });
      const text = await page.locator('body').innerText();
      expect(text).not.toMatch(TECHNICAL);
      expect(text).not.toContain('Nothing stood out');
      await page.getByRole('button', { name: 'See each source' }).click();
      await page.getByRole('heading', { name: 'Sources' }).waitFor();
      expect(await page.getByText('failing').count()).toBeGreaterThan(0);
    } finally {
      await page.close();
      await served.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('a view whose code cannot be fetched', () => {
  it('says so in one line in its place with a Reload, and the brief and the other views still work', async () => {
    const page = await browser.newPage({ viewport: SIZES[0] });
    try {
      // The settings forms are a chunk of their own, fetched on demand: this one never arrives.
      await page.route(/\/assets\/SettingsView-[^/]*\.js$/, (route) => route.abort());
      await page.goto(app.url);
      await briefShown(page);
      await page.getByRole('button', { name: 'Settings', exact: true }).click();
      const alert = page.getByRole('alert');
      await alert.waitFor();
      expect(await alert.textContent()).toBe('Settings could not load. Reload');
      // The rest of the app goes on working.
      await page.getByRole('button', { name: 'History', exact: true }).click();
      await page.getByRole('heading', { name: 'History', level: 1 }).waitFor();
      expect(await page.getByRole('alert').count()).toBe(0);
      await page.getByRole('button', { name: 'Today', exact: true }).click();
      await briefShown(page);
      // The network is back: Reload, and the view opens.
      await page.unroute(/\/assets\/SettingsView-[^/]*\.js$/);
      await page.getByRole('button', { name: 'Settings', exact: true }).click();
      await page.getByRole('button', { name: 'Reload' }).click();
      await briefShown(page);
      await page.getByRole('button', { name: 'Settings', exact: true }).click();
      await page.getByRole('group', { name: 'Where you are' }).waitFor();
    } finally {
      await page.close();
    }
  });
});
