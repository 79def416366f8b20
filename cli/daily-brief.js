#!/usr/bin/env node
// Runs the CLI: the bundled build in dist/cli/ when it is fresh (made by `npm install`, see cli/bundle.js),
// else the TypeScript sources as they are, with Node's built-in type stripping. Node 22.18+ strips types by
// default; 22.12–22.17 needs the flag, so re-launch once with it. Older Node cannot run the app at all.
import { spawnSync } from 'node:child_process';
import { enableCompileCache } from 'node:module';
import { fileURLToPath } from 'node:url';
import { freshBundle } from './bundle.js';

const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  process.stderr.write(
    `daily-brief: Node ${process.versions.node} is too old (22.12 or newer is needed). ` +
      'Install Node 24 LTS, or run `. scripts/node24.sh` in the project folder\n',
  );
  process.exit(1);
}

// V8's compiled code kept between runs (in the OS temp folder): a command starts without re-parsing what it loads.
enableCompileCache?.();

const bundle = freshBundle();
if (bundle) {
  await import(bundle);
} else if (process.features.typescript) {
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
