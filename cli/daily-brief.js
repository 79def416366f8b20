#!/usr/bin/env node
// Runs the TypeScript sources as they are, with Node's built-in type stripping: there is no build
// step between `npm install` and `npm run brief`. Node 22.18+ strips types by default; older 22.x
// needs the flag, so re-launch once with it.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

if (process.features.typescript) {
  await import('./main.ts');
} else {
  const result = spawnSync(
    process.execPath,
    [
      '--experimental-strip-types',
      '--disable-warning=ExperimentalWarning',
      fileURLToPath(import.meta.url),
      ...process.argv.slice(2),
    ],
    { stdio: 'inherit' },
  );
  process.exit(result.status ?? 1);
}
