import type { Page } from 'playwright-core';

/**
 * The whole brief on the page: the TL;DR comes first, the ask box, the day and the sections a frame later (see
 * BriefView), and its closing line once they are all there.
 */
export async function briefShown(page: Page, options: { timeout?: number } = {}): Promise<void> {
  await page.getByTestId('brief-tldr').waitFor(options);
  await page.getByTestId('brief-end').waitFor(options);
}
