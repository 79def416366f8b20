import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI, runCli } from '../helpers/cli.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'db-serve-cli-'));
afterAll(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

/** Starts `daily-brief serve`, returns its first stdout line, what it wrote to stderr, and a way to stop it. */
async function serve(args: string[]) {
  // No schedule: a catch-up refresh would fetch the default (public) feeds.
  const child = spawn(process.execPath, [CLI, '--data-dir', dataDir, 'serve', '--no-schedule', ...args], {
    env: { ...process.env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const first = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', () => {
      reject(new Error(`serve exited early: ${stderr}`));
    });
  });
  const stop = () =>
    new Promise<number | null>((resolve) => {
      child.once('exit', (code) => {
        resolve(code);
      });
      child.kill('SIGTERM');
    });
  return { first, stderr: () => stderr, stop };
}

describe('daily-brief serve', () => {
  it('prints its loopback URL with the token as the first line, serves the app and the API, stops on SIGTERM', async () => {
    const server = await serve([]);
    expect(server.first).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=[\w-]{32}$/);
    const url = new URL(server.first);
    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/<div id="root">/);
    const latest = await fetch(`${url.origin}/api/brief/latest`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-daily-brief-token': new URLSearchParams(url.hash.slice(1)).get('token') ?? '',
      },
      body: '{}',
    });
    expect(await latest.json()).toEqual({ ok: true, value: null });
    expect((await fetch(`${url.origin}/api/brief/latest`, { method: 'POST' })).status).toBe(401);
    expect(server.stderr()).toBe('');
    expect(await server.stop()).toBe(0);
  });

  it('binds beyond loopback only when --host says so, and warns', async () => {
    const server = await serve(['--host', '0.0.0.0']);
    // An address another machine can open, not 0.0.0.0.
    expect(server.first).toMatch(/^http:\/\/\d+\.\d+\.\d+\.\d+:\d+\/#token=/);
    expect(server.first).not.toMatch(/^http:\/\/0\.0\.0\.0/);
    await expect
      .poll(server.stderr, { timeout: 5000 })
      .toMatch(/^daily-brief: warning: listening on 0\.0\.0\.0, so other machines/);
    await server.stop();
  });

  it('refuses a bad port in one line', async () => {
    const result = await runCli(['--data-dir', dataDir, 'serve', '--port', 'eighty']);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('daily-brief: --port eighty is not a port number. Give 0–65535 (0: any free port)\n');
  });
});
