import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BUILT = join(ROOT, 'dist', 'renderer', 'index.html');

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'test') continue;
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/**
 * vitest globalSetup: the end-to-end tests and `serve` need the built renderer, so it is built here when it is
 * missing or older than its sources (`npm run build:renderer` does the same by hand; about a second).
 */
export default async function setup(): Promise<void> {
  const sources = Math.max(
    newestSource(join(ROOT, 'renderer')),
    statSync(join(ROOT, 'vite.renderer.config.ts')).mtimeMs,
    statSync(join(ROOT, 'vite.preact.ts')).mtimeMs,
  );
  if (existsSync(BUILT) && statSync(BUILT).mtimeMs >= sources) return;
  const { build } = await import('vite');
  // vitest sets NODE_ENV=test, which would make vite bundle a development build.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ configFile: join(ROOT, 'vite.renderer.config.ts'), root: join(ROOT, 'renderer'), logLevel: 'warn' });
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
}
