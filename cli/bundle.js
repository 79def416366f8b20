// The CLI's bundled build (made by `npm install` through the `prepare` script, see scripts/build-cli.js) and
// the check that decides whether it may run. Plain JavaScript, like cli/daily-brief.js: the bin reads this
// before it knows whether the Node running it strips types.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_DIR = fileURLToPath(new URL('..', import.meta.url));
export const BUNDLE_DIR = join(PROJECT_DIR, 'dist', 'cli');
export const BUNDLE_ENTRY = 'main.js';
export const MANIFEST = 'manifest.json';

/**
 * The bundle's entry, when it may stand in for the sources: it exists, and no file it was made from has
 * changed, moved or gone since it was made. Otherwise undefined, and the bin runs the sources themselves, so
 * an edit or a `git pull` never runs stale code. `DAILY_BRIEF_SOURCES=1` always runs the sources.
 *
 * @param {string} [bundleDir]
 * @param {string} [projectDir]
 * @returns {string | undefined}
 */
export function freshBundle(bundleDir = BUNDLE_DIR, projectDir = PROJECT_DIR) {
  if (process.env.DAILY_BRIEF_SOURCES === '1') return undefined;
  /** @type {{ startedAt: number, files: string[] }} */
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(join(bundleDir, MANIFEST), 'utf8'));
  } catch {
    return undefined;
  }
  if (typeof manifest?.startedAt !== 'number' || !Array.isArray(manifest.files)) return undefined;
  for (const file of manifest.files) {
    const stats = statSync(join(projectDir, file), { throwIfNoEntry: false });
    // Compared with when the build began, so a file saved while it ran counts as newer.
    if (!stats || stats.mtimeMs > manifest.startedAt) return undefined;
  }
  const entry = join(bundleDir, BUNDLE_ENTRY);
  return statSync(entry, { throwIfNoEntry: false }) ? entry : undefined;
}
