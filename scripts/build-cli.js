// Bundles the CLI (cli/main.ts and everything it loads from the project, plus zod and commander) into
// dist/cli/, so a command starts from a few JavaScript files instead of ~170 modules, 50 of them TypeScript to
// strip. Run by `npm install`/`npm ci` (the `prepare` script) and by `npm run build:cli`. cli/daily-brief.js
// runs the bundle only while it is fresh (cli/bundle.js) and the sources otherwise, so this is an optimisation:
// when it cannot run, the CLI works as before.
import { mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BUNDLE_DIR, BUNDLE_ENTRY, MANIFEST, PROJECT_DIR } from '../cli/bundle.js';

/** Pure JavaScript the CLI needs at start-up. The rest (native modules, big SDKs) loads from node_modules when used. */
const BUNDLED = new Set(['zod', 'commander']);

/** @param {string} outDir */
export async function buildCli(outDir = BUNDLE_DIR) {
  /** @type {typeof import('rolldown')} */
  let rolldown;
  try {
    rolldown = await import('rolldown');
  } catch {
    process.stdout.write('build-cli: rolldown is not installed; the CLI runs from its sources\n');
    return undefined;
  }
  const startedAt = Date.now();
  // The manifest goes first and comes back last: a half-written bundle is never taken for a fresh one.
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const result = await rolldown.build({
    input: join(PROJECT_DIR, 'cli', 'main.ts'),
    platform: 'node',
    logLevel: 'warn',
    external: (id) => isBare(id) && !BUNDLED.has(packageOf(id)),
    plugins: [keepModuleLocation(outDir)],
    output: {
      dir: outDir,
      format: 'esm',
      entryFileNames: BUNDLE_ENTRY,
      chunkFileNames: '[name]-[hash].js',
    },
  });
  const files = new Set([join(PROJECT_DIR, 'cli', 'bundle.js'), join(PROJECT_DIR, 'scripts', 'build-cli.js')]);
  for (const chunk of result.output) {
    if (chunk.type !== 'chunk') continue;
    for (const id of chunk.moduleIds) {
      // A bundled package is checked by its package.json, which `npm install` rewrites whenever it changes it.
      const file = packageJsonOf(id) ?? id;
      if (isAbsolute(file) && statSync(file, { throwIfNoEntry: false })) files.add(file);
    }
  }
  const manifest = { startedAt, files: [...files].map((file) => relative(PROJECT_DIR, file).split(sep).join('/')) };
  writeFileSync(join(outDir, MANIFEST), `${JSON.stringify(manifest)}\n`);
  return { outDir, chunks: result.output.length, files: manifest.files.length };
}

/** @param {string} id */
function isBare(id) {
  return !id.startsWith('.') && !isAbsolute(id) && !id.startsWith('node:') && !id.startsWith('\0');
}

/** @param {string} id */
function packageJsonOf(id) {
  const match = /^(.*[\\/]node_modules[\\/](?:@[^\\/]+[\\/])?[^\\/]+)[\\/]/.exec(id);
  return match?.[1] && join(match[1], 'package.json');
}

/** @param {string} id */
function packageOf(id) {
  const parts = id.split('/');
  return id.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? id);
}

/**
 * A module that finds files next to itself (`import.meta.url`, `import.meta.dirname`) still finds them from the
 * bundle: each use becomes the module's own location, written relative to the chunk so the project can move.
 *
 * @param {string} outDir
 * @returns {import('rolldown').Plugin}
 */
function keepModuleLocation(outDir) {
  return {
    name: 'keep-module-location',
    transform(code, id) {
      if (!isAbsolute(id) || id.includes(`${sep}node_modules${sep}`) || !code.includes('import.meta.')) return null;
      const fromChunk = (/** @type {string} */ target) =>
        JSON.stringify(relative(outDir, target).split(sep).join('/') || '.');
      const url = `new URL(${fromChunk(id)}, import.meta.url).href`;
      // pathToFileURL keeps a trailing separator off; the directory URL needs one to resolve against.
      const dirUrl = `new URL(${fromChunk(dirname(id))} + '/', import.meta.url)`;
      const dir = `process.getBuiltinModule('node:url').fileURLToPath(${dirUrl}).replace(/[\\\\/]$/, '')`;
      const out = code
        .replaceAll('import.meta.url', url)
        .replaceAll('import.meta.dirname', `(${dir})`)
        .replaceAll('import.meta.filename', `process.getBuiltinModule('node:url').fileURLToPath(${url})`);
      return { code: out, map: null };
    },
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const outDir = process.argv[2] ?? BUNDLE_DIR;
  try {
    const built = await buildCli(outDir);
    if (built) process.stdout.write(`build-cli: ${built.files} files in ${built.chunks} chunks -> ${built.outDir}\n`);
  } catch (error) {
    // `npm install` must not fail over an optimisation; the bin runs the sources when there is no bundle.
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`build-cli: could not bundle the CLI (${message.split('\n')[0]}); it runs from its sources\n`);
    rmSync(outDir, { recursive: true, force: true });
  }
}
