import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { appResponse, resolveAppFile } from './protocol.ts';

const root = mkdtempSync(join(tmpdir(), 'db-protocol-'));
mkdirSync(join(root, 'assets'));
writeFileSync(join(root, 'index.html'), '<!doctype html><title>Daily Brief</title>');
writeFileSync(join(root, 'assets', 'app.js'), 'console.log(1)');
writeFileSync(join(tmpdir(), 'db-protocol-secret.txt'), 'secret');

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
  rmSync(join(tmpdir(), 'db-protocol-secret.txt'), { force: true });
});

describe('app:// protocol', () => {
  it('maps URLs of our host to files under the renderer folder', () => {
    expect(resolveAppFile('app://daily-brief/', root)).toBe(join(root, 'index.html'));
    expect(resolveAppFile('app://daily-brief/assets/app.js?v=1', root)).toBe(join(root, 'assets', 'app.js'));
  });

  it('refuses other hosts, other schemes and every way out of the folder', () => {
    for (const url of [
      'app://elsewhere/index.html',
      'file:///etc/passwd',
      'app://daily-brief/..%2f..%2fdb-protocol-secret.txt',
      'app://daily-brief/%2e%2e/db-protocol-secret.txt',
      'app://daily-brief/assets/..%5c..%5csecret',
      'app://daily-brief/a%00.html',
      'app://daily-brief/%E0%A4%A',
      'not a url',
    ]) {
      const file = resolveAppFile(url, root);
      expect(file === undefined || file.startsWith(`${root}/`), url).toBe(true);
    }
    expect(resolveAppFile('app://daily-brief/..%2f..%2fdb-protocol-secret.txt', root)).toBeUndefined();
    expect(resolveAppFile('app://elsewhere/index.html', root)).toBeUndefined();
  });

  it('answers with the file, its type, and the CSP; 404 for anything else', async () => {
    const ok = await appResponse('app://daily-brief/index.html', root, "default-src 'none'");
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(ok.headers.get('content-security-policy')).toBe("default-src 'none'");
    expect(ok.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await ok.text()).toContain('<title>Daily Brief</title>');
    const js = await appResponse('app://daily-brief/assets/app.js', root, 'x');
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    for (const url of ['app://daily-brief/missing.js', 'app://daily-brief/..%2f..%2fdb-protocol-secret.txt']) {
      const missing = await appResponse(url, root, "default-src 'none'");
      expect(missing.status).toBe(404);
      expect(missing.headers.get('content-security-policy')).toBe("default-src 'none'");
    }
  });
});
