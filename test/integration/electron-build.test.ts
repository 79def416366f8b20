import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
// electron-builder's own library: its config loader and schema, its hook resolver, the AppImage launcher it writes.
import { generateAppRunScript } from 'app-builder-lib/out/targets/appimage/appImageUtil.js';
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config.js';
import { resolveFunction } from 'app-builder-lib/out/util/resolve.js';
import { DebugLogger } from 'builder-util';
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

const PROFILE = join(ROOT, 'build', 'linux', 'daily-brief-appimage.apparmor');

/** The release's packaging, read by electron-builder itself (it cannot package here: it downloads Electron). */
describe('electron-builder config', () => {
  const config = () => getConfig(ROOT, null, null);

  it('is what electron-builder accepts', async () => {
    await expect(validateConfiguration(await config(), new DebugLogger(false))).resolves.toBeUndefined();
  });

  it('puts the AppArmor profile next to each AppImage and returns it for publishing', async () => {
    const configuration = await config();
    // Resolved as electron-builder resolves it, from the path in electron-builder.yml.
    const hook = await resolveFunction<(result: unknown) => string[] | Promise<string[]>>(
      undefined,
      configuration.afterAllArtifactBuild as string,
      'afterAllArtifactBuild',
      ROOT,
    );
    expect(typeof hook).toBe('function');
    const release = mkdtempSync(join(tmpdir(), 'db-release-'));
    try {
      const result = (artifactPaths: string[]) => ({
        outDir: release,
        artifactPaths,
        platformToTargets: new Map(),
        configuration,
      });
      // A macOS build has no AppImage: nothing is added.
      expect(await hook(result([join(release, 'Daily Brief-0.1.0.dmg')]))).toEqual([]);
      expect(readdirSync(release)).toEqual([]);

      const published = await hook(
        result([join(release, 'Daily Brief-0.1.0.AppImage'), join(release, 'daily-brief_0.1.0_amd64.deb')]),
      );
      expect(published).toEqual([join(release, 'daily-brief-appimage.apparmor')]);
      expect(readFileSync(join(release, 'daily-brief-appimage.apparmor'), 'utf8')).toBe(readFileSync(PROFILE, 'utf8'));
    } finally {
      rmSync(release, { recursive: true, force: true });
    }
  });

  it('ships the profile inside the Linux packages, and no --no-sandbox in the AppImage’s menu entry', async () => {
    const configuration = await config();
    const resources = (configuration.linux?.extraResources ?? []) as { from: string; to: string }[];
    expect(resources).toContainEqual({
      from: 'build/linux/daily-brief-appimage.apparmor',
      to: 'daily-brief-appimage.apparmor',
    });
    expect(existsSync(join(ROOT, 'build/linux/daily-brief-appimage.apparmor'))).toBe(true);
    expect(configuration.appImage?.executableArgs).toEqual([]);
  });

  // electron-builder's AppRun probes `unshare -Ur true` and, when that fails, starts the app with --no-sandbox:
  // the profile must cover the launcher (whose children stay in it) as well as the app, in the mount.
  it('has a profile that lets the mounted launcher and app create user namespaces, and nothing else', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { name: string };
    const launcher = generateAppRunScript({
      ExecutableName: pkg.name,
      DesktopFileName: `${pkg.name}.desktop`,
      ProductFilename: 'Daily Brief',
      ProductName: 'Daily Brief',
      ResourceName: `appimagekit-${pkg.name}`,
    });
    expect(launcher).toContain('unshare -Ur true');
    expect(launcher).toContain('NO_SANDBOX=(--no-sandbox)');
    expect(launcher).toContain(`BIN="$APPDIR/${pkg.name}"`);

    const text = readFileSync(PROFILE, 'utf8');
    expect(text).toMatch(/^abi <abi\/4\.0>,$/m);
    const profile = /^profile (\S+) (\S+) flags=\(unconfined\) \{\n([^}]*)\}/m.exec(text);
    expect(profile?.[1]).toBe('daily-brief-appimage');
    expect(profile?.[3]).toMatch(/^\s*userns,$/m);
    expect(profile?.[3]).toContain('include if exists <local/daily-brief-appimage>');
    // AppArmor's `*` and `{a,b}` mean what minimatch's do: `*` stops at a slash.
    const attaches = (path: string) => minimatch(path, profile?.[2] ?? '');
    const mount = '/tmp/.mount_Daily_a1B2c3';
    expect(attaches(`${mount}/AppRun`)).toBe(true);
    expect(attaches(`${mount}/${pkg.name}`)).toBe(true);
    expect(attaches(`${mount}/resources/${pkg.name}`)).toBe(false);
    expect(attaches(`${mount}/chrome-sandbox`)).toBe(false);
    expect(attaches(`/home/ann/${pkg.name}`)).toBe(false);
  });
});
