import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

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
});
