// Regenerates the screenshots in docs/screenshots/ that the README shows: the sample day, as a user starts it
// (`daily-brief refresh --demo`, then `serve --demo`), in Chromium at a desktop and a phone size, light and dark.
// Usage: npm run screenshots [-- <out dir>]
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { launchChromium } from '../test/helpers/app-fixture.ts';
import { runCli } from '../test/helpers/cli.ts';
import { briefShown } from '../test/helpers/brief-page.ts';

const CLI = fileURLToPath(new URL('../cli/daily-brief.js', import.meta.url));
const out = process.argv[2] ?? fileURLToPath(new URL('../docs/screenshots/', import.meta.url));
const SIZES = [
  { name: 'desktop', width: 1280, height: 800 },
  { name: 'phone', width: 390, height: 844 },
] as const;
const THEMES = ['light', 'dark'] as const;

mkdirSync(out, { recursive: true });
const dataDir = mkdtempSync(join(tmpdir(), 'db-shots-'));
const refreshed = await runCli(['--data-dir', dataDir, 'refresh', '--demo']);
if (refreshed.code !== 0) throw new Error(`refresh --demo failed: ${refreshed.stderr}`);
const child = spawn(process.execPath, [CLI, '--data-dir', dataDir, 'serve', '--demo', '--no-schedule'], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
const url = await new Promise<string>((resolve, reject) => {
  createInterface({ input: child.stdout }).once('line', resolve);
  child.once('exit', (code) => {
    reject(new Error(`serve --demo exited (${String(code)}) before printing its address`));
  });
});
const browser = await launchChromium();
try {
  for (const size of SIZES) {
    for (const theme of THEMES) {
      const page = await browser.newPage({
        viewport: { width: size.width, height: size.height },
        colorScheme: theme,
        deviceScaleFactor: 1,
      });
      await page.goto(url);
      await briefShown(page);
      const file = join(out, `brief-${size.name}-${theme}.png`);
      await page.screenshot({ path: file, fullPage: process.env.FULL_PAGE === '1' });
      console.log(file);
      await page.close();
    }
  }
} finally {
  await browser.close();
  child.kill('SIGTERM');
  rmSync(dataDir, { recursive: true, force: true });
}
