import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { minimatch } from 'minimatch';
import { getLoadablePath } from 'sqlite-vec';
import { afterAll, describe, expect, it } from 'vitest';
import { unpackedPath } from '../../core/native-path.ts';

/** The `asarUnpack:` list of electron-builder.yml (a block list of plain or single-quoted globs). */
function asarUnpackPatterns(yaml: string): string[] {
  const block = /^asarUnpack:\n((?:\s+- .*\n)+)/m.exec(yaml)?.[1] ?? '';
  return [...block.matchAll(/^\s+- '?([^'\n]+?)'?\s*$/gm)].map((match) => match[1] ?? '');
}

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const out = mkdtempSync(join(tmpdir(), 'db-electron-build-'));

afterAll(() => {
  rmSync(out, { recursive: true, force: true });
});

/** `npm run build` needs no Electron binary: it must build here, and the bundles must have the right shape. */
describe('electron-vite build', () => {
  it('builds main, the core process, the sandboxed preload and the renderer', () => {
    const cli = join(ROOT, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js');
    const result = spawnSync(process.execPath, [cli, 'build', '--outDir', out, '--logLevel', 'error'], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(result.status, result.stderr).toBe(0);
    for (const file of ['main/index.js', 'main/core-host.js', 'preload/index.cjs', 'renderer/index.html']) {
      expect(existsSync(join(out, file)), file).toBe(true);
    }
    // A sandboxed preload is CommonJS and may require nothing but electron.
    const preload = readFileSync(join(out, 'preload/index.cjs'), 'utf8');
    expect([...preload.matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1])).toEqual(['electron']);
    expect(preload).not.toMatch(/^\s*(import|export)\s/m);
    expect(preload).toContain('exposeInMainWorld("dailyBrief"');
    // Our own sources are bundled; only packages stay outside (native modules load from node_modules).
    const main = readFileSync(join(out, 'main/index.js'), 'utf8');
    expect(main).not.toMatch(/from ["']\.\.\/\.\.\/(core|agents|connectors)\//);
    expect(readFileSync(join(out, 'main/core-host.js'), 'utf8')).toContain('parentPort');
  });

  // electron-builder cannot package here (it downloads Electron's zip), so its config is read against what the
  // code will ask for: in the package, `node_modules/...` sits in resources/app.asar, and a native file is on
  // disk only if an asarUnpack pattern copied it to resources/app.asar.unpacked.
  it('unpacks every native file the code loads, at the path the code asks for', () => {
    const asarUnpack = asarUnpackPatterns(readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8'));
    expect(asarUnpack.length).toBeGreaterThan(0);
    // minimatch: the glob matcher electron-builder applies asarUnpack with.
    const unpacked = (file: string) => asarUnpack.some((pattern) => minimatch(file, pattern, { dot: true }));
    const resources = join(tmpdir(), 'Daily Brief', 'resources');
    const inPackage = (file: string) => unpackedPath(join(resources, 'app.asar', file));

    // sqlite-vec: handed to SQLite's own dlopen, which only the rewritten path lets through.
    // From the last node_modules on: the checkout's node_modules may be a link to another folder.
    const vec = `node_modules/${
      getLoadablePath()
        .split(/[\\/]node_modules[\\/]/)
        .at(-1)
        ?.split(sep)
        .join('/') ?? ''
    }`;
    expect(vec).toMatch(/^node_modules\/sqlite-vec-[^/]+\/vec0\.(so|dylib|dll)$/);
    expect(unpacked(vec), vec).toBe(true);
    expect(inPackage(vec)).toBe(join(resources, 'app.asar.unpacked', vec));
    expect(existsSync(join(ROOT, vec))).toBe(true);
    // The bundle that loads it rewrites the path and leaves sqlite-vec in node_modules, where the file is.
    const chunks = readdirSync(join(out, 'main'), { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.js'))
      .map((file) => readFileSync(join(out, 'main', file), 'utf8'));
    const loader = chunks.filter((code) => /from ["']sqlite-vec["']/.test(code));
    expect(loader).toHaveLength(1);
    expect(loader[0]).toContain('getLoadablePath()');
    expect(loader[0]).toContain('app.asar.unpacked');

    // N-API addons (Electron redirects their dlopen, but only to a file that was unpacked).
    const addons = ['better-sqlite3', '@napi-rs'].flatMap((pkg) =>
      readdirSync(join(ROOT, 'node_modules', pkg), { recursive: true, encoding: 'utf8' })
        .filter((file) => file.endsWith('.node'))
        .map((file) => `node_modules/${pkg}/${file.split(sep).join('/')}`),
    );
    expect(addons.length).toBeGreaterThan(0);
    for (const addon of addons) expect(unpacked(addon), addon).toBe(true);
  });
});
