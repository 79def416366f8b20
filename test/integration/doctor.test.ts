import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CheckStatus, DoctorCheck, DoctorReport } from '../../app/doctor.ts';
import { startOllamaServer, type OllamaServer } from '../fakes/ollama-server.ts';
import { fileSecrets, googleAccount, imapAccount, seedAccounts } from '../helpers/accounts.ts';
import { runCli } from '../helpers/cli.ts';

function expectCheck(
  found: DoctorCheck,
  status: CheckStatus,
  text: { detail?: string | RegExp; fix?: string | RegExp } = {},
): void {
  expect(found.status, `${found.id}: ${found.detail}`).toBe(status);
  if (text.detail !== undefined) expect(found.detail).toMatch(text.detail);
  if (text.fix !== undefined) expect(found.fix ?? '').toMatch(text.fix);
}

/** `daily-brief doctor` as a user runs it, against a fake Ollama on 127.0.0.1 that speaks the real API. */
describe('daily-brief doctor', () => {
  let dir: string;
  const servers: OllamaServer[] = [];
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'db-doctor-cli-'));
  });
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
    rmSync(dir, { recursive: true, force: true });
  });

  async function ollama(models: string[], version = '0.12.3'): Promise<OllamaServer> {
    const server = await startOllamaServer({ models, version });
    servers.push(server);
    return server;
  }

  function settings(value: unknown, into = dir): void {
    writeFileSync(join(into, 'settings.json'), JSON.stringify(value));
  }

  async function doctorJson(args: string[] = ['--data-dir', dir], env: Record<string, string> = {}) {
    const result = await runCli([...args, 'doctor', '--json'], env);
    const report = JSON.parse(result.stdout) as DoctorReport;
    const byId = (id: string): DoctorCheck => {
      const found = report.checks.find((c) => c.id === id);
      if (!found) throw new Error(`no check ${id}: ${result.stdout}`);
      return found;
    };
    return { result, report, byId };
  }

  it('passes when everything is in place: exit 0, ok: true, the Ollama version reported', async () => {
    const server = await ollama(['llama3.2:3b', 'nomic-embed-text:latest'], '0.13.5');
    settings({ llm: { baseUrl: server.baseUrl, model: 'llama3.2:3b' } });
    const { result, report, byId } = await doctorJson();
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(report.ok).toBe(true);
    expect(report.checks.map((c) => c.id)).toEqual([
      'node',
      'data-dir',
      'settings',
      'database',
      'refresh',
      'sources',
      'llm-server',
      'llm-model',
      'embedding-model',
      'memory',
      'accounts',
      'secrets',
    ]);
    // Accounts are optional: with none connected and no OAuth client their two checks are skipped, not failed.
    expect(report.checks.filter((c) => c.status !== 'ok').map((c) => `${c.id}:${c.status}`)).toEqual([
      'accounts:skip',
      'secrets:skip',
    ]);
    expect(byId('node').detail).toBe(`Node ${process.versions.node}`);
    expect(byId('data-dir').detail).toContain(dir);
    expect(byId('llm-server').detail).toBe(`Ollama 0.13.5 at ${server.baseUrl} (2 models)`);
    expect(server.calls.version).toBe(1);

    const human = await runCli(['--data-dir', dir, 'doctor']);
    expect(human.code).toBe(0);
    const lines = human.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(`✓ Node ${process.versions.node}`);
    expect(lines).toContain('✓ Ollama model llama3.2:3b installed: tools · 8k context');
    expect(lines.at(-1)).toBe('Everything Daily Brief needs is in place (10 ok, 2 skipped).');
  });

  it('fails a missing primary model with the exact ollama pull, in JSON and in text', async () => {
    const server = await ollama(['llama3.2:3b', 'nomic-embed-text']);
    settings({ llm: { baseUrl: server.baseUrl, model: 'qwen2.5:7b' } });
    const { result, report, byId } = await doctorJson();
    expect(result.code).toBe(1);
    expect(report.ok).toBe(false);
    expect(byId('llm-model')).toMatchObject({ status: 'fail', fix: 'ollama pull qwen2.5:7b' });
    expect(byId('llm-server').status).toBe('ok');

    const human = await runCli(['--data-dir', dir, 'doctor']);
    expect(human.code).toBe(1);
    expect(human.stdout).toContain('✗ Ollama model qwen2.5:7b not installed → ollama pull qwen2.5:7b\n');
    expect(human.stdout.trimEnd().split('\n').at(-1)).toBe('1 problem to fix (9 ok, 2 skipped).');
    // The report says it all; no second error line on stderr.
    expect(human.stderr).toBe('');
  });

  it('warns about a missing embedding model without failing', async () => {
    const server = await ollama(['llama3.2:3b']);
    settings({ llm: { baseUrl: server.baseUrl, model: 'llama3.2:3b' } });
    const { result, report, byId } = await doctorJson();
    expect(result.code).toBe(0);
    expect(report.ok).toBe(true);
    expect(byId('embedding-model')).toMatchObject({ status: 'warn', fix: 'ollama pull nomic-embed-text' });
    const human = await runCli(['--data-dir', dir, 'doctor']);
    expect(human.stdout).toMatch(
      /^! Embedding model nomic-embed-text not installed .* → ollama pull nomic-embed-text$/m,
    );
  });

  it('fails when Ollama is down, says to run `ollama serve`, and does not hang', async () => {
    const server = await ollama([]);
    await server.close();
    settings({ llm: { baseUrl: server.baseUrl, model: 'llama3.2:3b' } });
    const started = performance.now();
    const { result, report, byId } = await doctorJson();
    expect(performance.now() - started).toBeLessThan(8000);
    expect(result.code).toBe(1);
    expect(report.ok).toBe(false);
    expectCheck(byId('llm-server'), 'fail', { detail: server.baseUrl });
    expect(byId('llm-server').fix).toContain('ollama serve');
    expect(byId('llm-model').status).toBe('skip');
  });

  it('only warns when no model was chosen and none is there: the brief is extractive, exit 0', async () => {
    const server = await ollama([]);
    await server.close();
    settings({ location: { name: 'Berlin', latitude: 52.52, longitude: 13.4, timezone: 'Europe/Berlin' } });
    const { result, report, byId } = await doctorJson(['--data-dir', dir], { OLLAMA_HOST: server.baseUrl });
    expect(result.code).toBe(0);
    expect(report.ok).toBe(true);
    expectCheck(byId('llm-server'), 'warn', { detail: /briefs are written without one \(extractive\)/ });
    // Naming a model makes it the user's choice: then its absence is a fault again.
    settings({ llm: { model: 'qwen2.5:7b' } });
    const chosen = await doctorJson(['--data-dir', dir], { OLLAMA_HOST: server.baseUrl });
    expect(chosen.result.code).toBe(1);
    expect(chosen.byId('llm-server').status).toBe('fail');
  });

  it('follows OLLAMA_HOST and DAILY_BRIEF_HOME when neither settings nor flags say otherwise', async () => {
    const server = await ollama(['qwen2.5:7b', 'nomic-embed-text']);
    const { result, byId } = await doctorJson([], {
      DAILY_BRIEF_HOME: dir,
      OLLAMA_HOST: server.baseUrl.replace(/^http:\/\//, ''),
    });
    expect(result.code).toBe(0);
    expect(byId('data-dir').detail).toBe(`Data directory ${dir} is writable`);
    expect(byId('llm-server').detail).toContain(server.baseUrl);
    expect(byId('llm-model').detail).toBe('Ollama model qwen2.5:7b installed: tools · 8k context');
  });

  it('shows what each model can do, and warns when the context asked for is more than the model has', async () => {
    const server = await ollama(['qwen3:8b', 'gemma3:4b', 'nomic-embed-text']);
    server.options.capabilities = { 'qwen3:8b': ['completion', 'tools', 'thinking'], 'gemma3:4b': ['completion'] };
    server.options.contextLengths = { 'qwen3:8b': 40960, 'gemma3:4b': 4096 };
    settings({
      llm: {
        baseUrl: server.baseUrl,
        model: 'qwen3:8b',
        contextTokens: 16384,
        fallbacks: [{ provider: 'ollama', model: 'gemma3:4b' }],
      },
    });
    const { result, byId } = await doctorJson();
    expect(result.code).toBe(0);
    expect(byId('llm-model')).toMatchObject({
      status: 'ok',
      detail: 'Ollama model qwen3:8b installed: tools · thinking · 40k context',
    });
    expect(byId('llm-fallback-1')).toEqual({
      id: 'llm-fallback-1',
      title: 'Fallback model 1',
      status: 'warn',
      detail:
        'Ollama model gemma3:4b installed: 4k context (no tools: briefs are written without look-ups). llm.contextTokens is 16384, but gemma3:4b takes at most 4096 tokens: briefs use 4096',
      fix: 'Set llm.contextTokens to 4096 or less',
    });
  });

  it('skips the model checks when the LLM is off, and exits 0', async () => {
    settings({ llm: { provider: 'none' } });
    const { result, report, byId } = await doctorJson();
    expect(result.code).toBe(0);
    expect(report.ok).toBe(true);
    expect(byId('llm')).toMatchObject({ status: 'skip', detail: 'LLM off: extractive briefs' });
    const human = await runCli(['--data-dir', dir, 'doctor']);
    expect(human.stdout).toContain('- LLM off: extractive briefs\n');
  });

  it('fails invalid settings naming the field, and still runs the checks that do not need them', async () => {
    settings({ llm: { provider: 'ollama', model: '' } });
    const { result, report, byId } = await doctorJson();
    expect(result.code).toBe(1);
    expect(report.ok).toBe(false);
    expect(byId('settings').status).toBe('fail');
    expect(byId('settings').detail).toMatch(/settings\.json: llm\.model /);
    expect(byId('settings').fix).toBeTruthy();
    for (const id of ['node', 'data-dir', 'database']) expect(byId(id).status).toBe('ok');
    for (const id of ['sources', 'llm']) expect(byId(id).status).toBe('skip');
  });

  it('reports a settings file that is not JSON as a failure, not a crash', async () => {
    writeFileSync(join(dir, 'settings.json'), '{ "llm": ');
    const { result, byId } = await doctorJson();
    expect(result.code).toBe(1);
    expectCheck(byId('settings'), 'fail', { detail: 'is not valid JSON' });
  });

  it('creates neither the database nor a missing data directory', async () => {
    settings({ llm: { provider: 'none' } });
    const { result, byId } = await doctorJson();
    expect(result.code).toBe(0);
    expect(byId('database').detail).toMatch(/will be created on first refresh/);
    expect(existsSync(join(dir, 'daily-brief.db'))).toBe(false);

    const fresh = join(dir, 'never-used');
    const again = await runCli(['--data-dir', fresh, 'doctor', '--json']);
    expect((JSON.parse(again.stdout) as DoctorReport).checks.find((c) => c.id === 'data-dir')?.status).toBe('ok');
    expect(existsSync(fresh)).toBe(false);
  });

  it('names every connected account, warns about one whose password is elsewhere, and reads no secret', async () => {
    settings({ llm: { provider: 'none' }, secrets: { allowFileStore: true } });
    seedAccounts(dir, [
      googleAccount('me@gmail.com'),
      imapAccount('work@example.com', 'imap.example.com'),
      imapAccount('home@example.org', 'imap.example.org'),
    ]);
    const { store, env } = fileSecrets(dir);
    const secrets = ['google-token-not-for-print', 'work-password-not-for-print'];
    await store.set('google:me@gmail.com', JSON.stringify({ refresh_token: secrets[0] }));
    await store.set('imap:work@example.com', secrets[1] ?? '');
    const kept = ['daily-brief.db', 'secrets.enc.json'].map((file) => readFileSync(join(dir, file)));
    const keys = readdirSync(join(dir, 'state', 'daily-brief'));

    const { result, report, byId } = await doctorJson(['--data-dir', dir], env);
    expect(result.code).toBe(0);
    expect(report.ok).toBe(true);
    expect(byId('accounts')).toEqual({
      id: 'accounts',
      title: 'Accounts',
      status: 'warn',
      detail:
        'home@example.org (mail) is connected in the other app or on another computer, not here: briefs made here leave it out. Connected: me@gmail.com (Google), work@example.com (mail)',
      fix: 'To use it here too, run `daily-brief connect imap --host imap.example.org --port 993 --security tls --user home@example.org --name home@example.org`',
    });

    const human = await runCli(['--data-dir', dir, 'doctor'], env);
    expect(human.code).toBe(0);
    expect(human.stderr).toBe('');
    expect(human.stdout).toContain(
      '! home@example.org (mail) is connected in the other app or on another computer, not here: briefs made here leave it out. Connected: me@gmail.com (Google), work@example.com (mail) → To use it here too, run `daily-brief connect imap --host imap.example.org --port 993 --security tls --user home@example.org --name home@example.org`\n',
    );
    for (const secret of secrets) expect(result.stdout + human.stdout + human.stderr).not.toContain(secret);
    // Read-only: the database and the secrets file are byte for byte the same, and no key was made.
    for (const [index, file] of ['daily-brief.db', 'secrets.enc.json'].entries()) {
      expect(readFileSync(join(dir, file)).equals(kept[index] ?? Buffer.alloc(0)), file).toBe(true);
    }
    expect(readdirSync(join(dir, 'state', 'daily-brief'))).toEqual(keys);

    // The command it names exists and takes those flags.
    const help = await runCli(['connect', '--help']);
    expect(help.code).toBe(0);
    for (const flag of ['--host', '--port', '--security', '--user', '--name']) expect(help.stdout).toContain(flag);
  });

  it('checks an existing database after a refresh', async () => {
    settings({
      llm: { provider: 'none' },
      sources: { rss: { enabled: false }, hackernews: { enabled: false }, weather: { enabled: false } },
    });
    expect((await runCli(['--data-dir', dir, 'refresh', '--json'])).code).toBe(0);
    const { result, byId } = await doctorJson();
    expect(result.code).toBe(0);
    expectCheck(byId('database'), 'ok', { detail: /passed its quick check/ });
    expect(byId('sources').status).toBe('warn');
  });
});
