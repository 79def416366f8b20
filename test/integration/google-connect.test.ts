import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, runCli } from '../helpers/cli.ts';
import { fakeAccount, startGoogleServer, type FakeGoogle } from '../fakes/google-server.ts';
import { connectAs, googleDataDir, googleService } from '../helpers/google.ts';

describe('connect google (end to end, real CLI against the fake Google)', () => {
  let fake: FakeGoogle;
  let dir: string;
  let stateDir: string;
  let env: Record<string, string>;
  beforeAll(async () => {
    fake = await startGoogleServer();
    fake.accounts.set('you@example.com', fakeAccount('you@example.com'));
    ({ dir, stateDir } = googleDataDir(fake));
    env = { DAILY_BRIEF_NO_KEYRING: '1', XDG_STATE_HOME: stateDir };
  });
  afterAll(async () => {
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
    rmSync(stateDir, { recursive: true, force: true });
  });

  it('prints the consent URL, takes the loopback redirect, exchanges the code with PKCE and stores the token encrypted', async () => {
    fake.consentAs = 'you@example.com';
    const child = spawn(process.execPath, [CLI, '--data-dir', dir, 'connect', 'google', '--no-browser'], {
      env: { ...process.env, NO_COLOR: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const consentUrl = await new Promise<string>((resolve) => {
      child.stdout.on('data', (c: Buffer) => {
        stdout += c.toString();
        const url = /^(http\S+)$/m.exec(stdout)?.[1];
        if (url) resolve(url);
      });
    });
    const consent = new URL(consentUrl);
    expect(consent.origin + consent.pathname).toBe(`${fake.baseUrl}/o/oauth2/v2/auth`);
    expect(consent.searchParams.get('scope')?.split(' ')).toEqual([
      'https://www.googleapis.com/auth/gmail.readonly',
      'https://www.googleapis.com/auth/calendar.readonly',
    ]);
    expect(consent.searchParams.get('code_challenge_method')).toBe('S256');
    expect(consent.searchParams.get('access_type')).toBe('offline');
    expect(consent.searchParams.get('redirect_uri')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/oauth2callback$/);

    // The "browser": Google's page redirects (302) to the app's loopback, which answers the tab.
    const page = await fetch(consentUrl);
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/connected/);
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).toMatch(/^daily-brief: warning: no OS keyring .*mode 0600, encrypted/);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(code).toBe(0);
    expect(stdout).toMatch(/Connected you@example\.com\n$/);

    const exchange = fake.tokenRequests.find((r) => r.grant_type === 'authorization_code');
    expect(exchange?.code_verifier).toMatch(/^[\w.~-]{43,128}$/);
    const file = join(dir, 'secrets.enc.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const keyFile = join(stateDir, 'daily-brief', 'secrets.key');
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    const [refresh] = fake.refreshTokensOf('you@example.com');
    expect(refresh).toBeDefined();
    const stored = readFileSync(file, 'utf8');
    expect(stored).toContain('google:you@example.com');
    expect(stored).not.toContain(refresh ?? '');
    expect(stored).not.toContain('ya29.');

    const accounts = await runCli(['--data-dir', dir, 'accounts', '--json'], env);
    const list = JSON.parse(accounts.stdout) as {
      provider: string;
      address: string;
      status: string;
      connectedAt: string;
    }[];
    expect(list).toEqual([
      {
        provider: 'google',
        address: 'you@example.com',
        status: 'connected',
        connectedAt: expect.any(String) as string,
      },
    ]);
    const text = await runCli(['--data-dir', dir, 'accounts'], env);
    expect(text.stdout).toMatch(/^google:you@example\.com {2}connected/);
  });

  it('disconnect revokes the grant at Google and deletes the token', async () => {
    const [refresh] = fake.refreshTokensOf('you@example.com');
    const result = await runCli(['--data-dir', dir, 'disconnect', 'google', 'you@example.com'], env);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(fake.revoked).toContain(refresh);
    expect(readFileSync(join(dir, 'secrets.enc.json'), 'utf8')).not.toContain('google:you@example.com');
    const accounts = await runCli(['--data-dir', dir, 'accounts'], env);
    expect(accounts.stdout).toBe('No accounts connected. Run `daily-brief connect google|imap|caldav|ics`.\n');
    const again = await runCli(['--data-dir', dir, 'disconnect', 'google', 'you@example.com'], env);
    expect(again.code).toBe(1);
    expect(again.stderr.trim()).toBe(
      'daily-brief: no Google account you@example.com is connected. Run `daily-brief accounts` to see the connected ones',
    );
  });

  it('says so when Google cannot be reached to revoke, and deletes the tokens anyway', async () => {
    const saved = { ...process.env };
    Object.assign(process.env, env);
    try {
      const service = googleService(dir, '2026-12-01T06:00:00.000Z');
      await connectAs(service, fake, 'you@example.com');
      service.close();
    } finally {
      process.env = saved;
    }
    const settingsPath = join(dir, 'settings.json');
    const settings = JSON.parse(readFileSync(settingsPath, 'utf8')) as { google: { tokenUrl: string } };
    settings.google.tokenUrl = 'http://127.0.0.1:9/token';
    writeFileSync(settingsPath, JSON.stringify(settings));
    const result = await runCli(['--data-dir', dir, 'disconnect', 'google', 'you@example.com'], env);
    expect(result.code).toBe(0);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(
      /^daily-brief: could not revoke you@example\.com's access at Google \(.+\); its tokens are deleted here anyway\. Revoke it at https:\/\/myaccount\.google\.com\/permissions\n$/,
    );
    expect(readFileSync(join(dir, 'secrets.enc.json'), 'utf8')).not.toContain('google:you@example.com');
    expect((await runCli(['--data-dir', dir, 'accounts'], env)).stdout).toMatch(/^No accounts connected/);
  });

  it('refuses to store tokens without a keyring unless secrets.allowFileStore is set, in one line', async () => {
    const other = googleDataDir(fake, { secrets: { allowFileStore: false } });
    try {
      const result = await runCli(['--data-dir', other.dir, 'connect', 'google', '--no-browser'], {
        DAILY_BRIEF_NO_KEYRING: '1',
        XDG_STATE_HOME: other.stateDir,
      });
      expect(result.code).toBe(1);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toMatch(
        /^daily-brief: there is no OS keyring to keep account tokens and passwords in .*secrets\.allowFileStore: true/,
      );
      expect(result.stdout).toBe('');
    } finally {
      rmSync(other.dir, { recursive: true, force: true });
      rmSync(other.stateDir, { recursive: true, force: true });
    }
  });

  it('says where the OAuth client JSON goes when it is missing', async () => {
    const other = googleDataDir(fake);
    rmSync(join(other.dir, 'google-client.json'));
    const result = await runCli(['--data-dir', other.dir, 'connect', 'google', '--no-browser'], {
      DAILY_BRIEF_NO_KEYRING: '1',
      XDG_STATE_HOME: other.stateDir,
    });
    rmSync(other.dir, { recursive: true, force: true });
    rmSync(other.stateDir, { recursive: true, force: true });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /there is no Google OAuth client file at .*google-client\.json\. Create a "Desktop app" OAuth client/,
    );
  });
});
