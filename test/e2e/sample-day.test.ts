import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_FILE } from '../../core/store/database.ts';
import { Store } from '../../core/store/store.ts';
import { launchChromium, serveDataDir } from '../helpers/app-fixture.ts';
import { briefShown } from '../helpers/brief-page.ts';

// The sample day from the real app: a real `daily-brief serve` on a data folder nothing has touched yet, in Chromium,
// on a desk and on a phone, light and dark. Screenshots go to $DAILY_BRIEF_SHOTS when it is set (to look at them).
type Served = Awaited<ReturnType<typeof serveDataDir>>;

const SIZES = [
  { name: 'desktop', width: 1280, height: 800 },
  { name: 'phone', width: 390, height: 844 },
] as const;
const SCHEMES = ['light', 'dark'] as const;
const SHOTS = process.env.DAILY_BRIEF_SHOTS;
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let browser: Browser;
let dataDir: string;
let served: Served;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'db-clean-'));
  [browser, served] = await Promise.all([launchChromium(), serveDataDir(dataDir)]);
  if (SHOTS) mkdirSync(SHOTS, { recursive: true });
}, 60_000);

afterAll(async () => {
  await (browser as Browser | undefined)?.close();
  await (served as Served | undefined)?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function axeViolations(page: Page): Promise<string[]> {
  // Evaluated through the DevTools protocol, so the page's CSP (which would refuse an injected script) still holds.
  await page.evaluate(axeSource);
  return page.evaluate<string[]>(
    'axe.run().then((r) => r.violations.map((v) => v.id + ": " + v.help + " " + v.nodes.map((n) => n.target).join(" ")))',
  );
}

async function shot(page: Page, name: string): Promise<void> {
  if (SHOTS) await page.screenshot({ path: join(SHOTS, `${name}.png`) });
}

function sideways(page: Page): Promise<number> {
  return page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
}

const welcome = (page: Page) => page.getByRole('heading', { name: 'Welcome to Daily Brief' });

describe('the sample day from a fresh install', () => {
  for (const size of SIZES) {
    for (const scheme of SCHEMES) {
      it(`welcomes, shows the sample day, and goes back, at ${size.width}×${size.height} in ${scheme}`, async () => {
        const page = await browser.newPage({ viewport: size, colorScheme: scheme });
        try {
          await page.goto(served.url);
          await welcome(page).waitFor();
          expect(await page.getByRole('button', { name: 'Set up my sources' }).isVisible()).toBe(true);
          const trySample = page.getByRole('button', { name: 'Try the sample day' });
          // Both ways on are in the first screen, even on a phone.
          const box = await trySample.boundingBox();
          expect(box && box.y + box.height).toBeLessThanOrEqual(size.height);
          expect(await sideways(page)).toBe(0);
          expect(await axeViolations(page)).toEqual([]);
          await shot(page, `welcome-${size.name}-${scheme}`);

          await trySample.click();
          const banner = page.getByTestId('sample-banner');
          await banner.waitFor();
          await briefShown(page, { timeout: 20_000 });
          expect(await banner.textContent()).toContain('This is a sample day.');
          // Said once, by the banner: the brief's own notice is not repeated under the TL;DR.
          expect(await page.locator('main').innerText()).not.toMatch(/sample day/i);
          expect(await page.getByText('Sample City').count()).toBeGreaterThan(0);
          expect(await sideways(page)).toBe(0);
          expect(await axeViolations(page)).toEqual([]);
          await shot(page, `sample-${size.name}-${scheme}`);

          await banner.getByRole('button', { name: 'Back to my brief' }).click();
          await welcome(page).waitFor();
          expect(await page.getByTestId('sample-banner').count()).toBe(0);
          expect(await page.getByTestId('brief-tldr').count()).toBe(0);
        } finally {
          await page.close();
        }
      }, 60_000);
    }
  }

  it('moves every open window together, and sets up the user’s own sources from the sample day', async () => {
    const first = await browser.newPage({ viewport: SIZES[0] });
    const second = await browser.newPage({ viewport: SIZES[1] });
    try {
      await Promise.all([first.goto(served.url), second.goto(served.url)]);
      await Promise.all([welcome(first).waitFor(), welcome(second).waitFor()]);
      await first.getByRole('button', { name: 'Try the sample day' }).click();
      // The other window follows without a reload.
      await second.getByTestId('sample-banner').waitFor();
      await briefShown(second, { timeout: 20_000 });
      // A vote in the sample day is the sample day's (the last test reads the user's store).
      await second
        .getByRole('button', { name: /^Less like this/ })
        .first()
        .click();
      await second.getByTestId('feedback-message').getByRole('button', { name: 'Undo' }).waitFor();

      // Settings in the sample day: the user's own are not changed from it, and the way there is one click.
      await first.getByRole('button', { name: 'Settings', exact: true }).click();
      const note = first.getByRole('region', { name: 'Settings in the sample day' });
      await note.waitFor();
      await note.getByRole('button', { name: 'Set up my sources' }).click();
      await first.getByRole('button', { name: 'Save settings' }).waitFor();
      expect(await first.getByTestId('sample-banner').count()).toBe(0);
      expect(await first.getByRole('button', { name: 'Settings', exact: true }).getAttribute('aria-current')).toBe(
        'page',
      );
      await welcome(second).waitFor();
    } finally {
      await first.close();
      await second.close();
    }
  }, 60_000);

  it('is all there is under `serve --demo`, written at once on a fresh folder, with no way back', async () => {
    const demoDir = mkdtempSync(join(tmpdir(), 'db-demo-only-'));
    const demo = await serveDataDir(demoDir, ['--demo']);
    const page = await browser.newPage({ viewport: SIZES[1] });
    try {
      await page.goto(demo.url);
      await briefShown(page, { timeout: 20_000 });
      const banner = page.getByTestId('sample-banner');
      expect(await banner.textContent()).toContain('This is a sample day.');
      expect(await banner.getByRole('button', { name: 'Back to my brief' }).count()).toBe(0);
      expect(await axeViolations(page)).toEqual([]);
      await shot(page, 'sample-only-phone-light');
    } finally {
      await page.close();
      await demo.close();
      rmSync(demoDir, { recursive: true, force: true });
    }
  }, 60_000);

  it('never wrote a brief, an item, a vote or a setting into the user’s own folder', () => {
    expect(existsSync(join(dataDir, 'settings.json'))).toBe(false);
    expect(existsSync(join(dataDir, 'demo', DATABASE_FILE))).toBe(true);
    // The user's store may exist (their Settings read what was learned), but holds nothing of the sample day.
    if (!existsSync(join(dataDir, DATABASE_FILE))) return;
    const store = Store.open(dataDir);
    try {
      const counts = store.db
        .prepare(
          'SELECT (SELECT count(*) FROM briefs) AS briefs, (SELECT count(*) FROM items) AS items, ' +
            '(SELECT count(*) FROM feedback_events) AS votes',
        )
        .get();
      expect(counts).toEqual({ briefs: 0, items: 0, votes: 0 });
    } finally {
      store.close();
    }
  });
});
