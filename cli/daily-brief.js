#!/usr/bin/env node
// Runs the TypeScript sources as they are, with Node's built-in type stripping: there is no build
// step between `npm install` and `npm run brief`. Node 22.18+ strips types by default; 22.12–22.17
// needs the flag, so re-launch once with it. Older Node cannot run the app at all.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  process.stderr.write(
    `daily-brief: Node ${process.versions.node} is too old (22.12 or newer is needed). ` +
      'Install Node 24 LTS, or run `. scripts/node24.sh` in the project folder\n',
  );
  process.exit(1);
}

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
