import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, rmdirSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { GoogleConnectorDeps } from '../connectors/google/account-auth.ts';
import { allConnectors, settingsConnectors } from '../connectors/registry.ts';
import { AppError, describeError } from '../core/errors.ts';
import { SETTINGS_FILE, type Settings } from '../core/settings.ts';
import { loadSettings } from '../core/settings-load.ts';
import { DATABASE_FILE, databaseExists, openDatabase, schemaVersion, type Db } from '../core/store/database.ts';
import { MIGRATIONS } from '../core/store/migrations/index.ts';
import type { SecretStore } from '../core/secrets/types.ts';
import type { DoctorCheck, DoctorReport } from '../contract/results.ts';
import { checkLlm, optionalModel } from './doctor-models.ts';

export type { CheckStatus, DoctorCheck, DoctorReport } from '../contract/results.ts';

export interface DoctorOptions {
  dataDir: string;
  env?: NodeJS.ProcessEnv;
  /** Defaults to the running Node; injectable so the version rule can be tested. */
  nodeVersion?: string;
  signal?: AbortSignal;
  /** Per network request. Short, because a doctor that hangs on a dead server is no help. */
  timeoutMs?: number;
  /** The front end's own secret store (the desktop app's), to say which accounts have their secret here. */
  secrets?: SecretStore;
}

export const MIN_NODE: readonly [number, number] = [22, 12];
const DEFAULT_TIMEOUT_MS = 3000;
const MOVE_DB_ASIDE = 'Move the file aside to start afresh (your settings.json is kept), or restore it from a backup';

/** Checks everything the app needs, without printing and without creating anything that lasts. */
export async function runDoctor(options: DoctorOptions): Promise<DoctorReport> {
  const { dataDir } = options;
  const env = options.env ?? process.env;
  const signal = options.signal ?? new AbortController().signal;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;

  const checks: DoctorCheck[] = [checkNode(options.nodeVersion ?? process.versions.node), checkDataDir(dataDir)];
  const settings = checkSettings(dataDir);
  const { checkRefreshes } = await import('./doctor-runs.ts');
  checks.push(settings.check, checkDatabase(dataDir), checkRefreshes(dataDir));
  if (settings.value) {
    const { accountDeps, checkAccounts } = await import('./doctor-accounts.ts');
    checks.push(checkSources(settings.value, accountDeps(dataDir)));
    const llmChecks = await checkLlm(settings.value, env, signal, timeoutMs);
    checks.push(...(settings.modelChosen ? llmChecks : optionalModel(llmChecks)));
    const { checkMemory } = await import('./doctor-memory.ts');
    checks.push(await checkMemory(settings.value, env, timeoutMs));
    const secrets = options.secrets ? { secrets: options.secrets } : {};
    checks.push(...(await checkAccounts(dataDir, settings.value, env, secrets)));
  } else {
    // Checking the defaults instead would report on models and sources the user did not choose.
    const because = 'Not checked: settings.json is invalid';
    checks.push(
      { id: 'sources', status: 'skip', title: 'Sources', detail: because },
      { id: 'llm', status: 'skip', title: 'LLM', detail: because },
      { id: 'embedding-model', status: 'skip', title: 'Embedding model', detail: because },
      { id: 'memory', status: 'skip', title: 'Memory', detail: because },
      { id: 'accounts', status: 'skip', title: 'Accounts', detail: because },
      { id: 'secrets', status: 'skip', title: 'Token storage', detail: because },
    );
  }
  return { ok: !checks.some((c) => c.status === 'fail'), checks };
}

export function nodeVersionOk(version: string, min: readonly [number, number] = MIN_NODE): boolean {
  const [major = 0, minor = 0] = version.replace(/^v/, '').split('.').map(Number);
  return major > min[0] || (major === min[0] && minor >= min[1]);
}

function checkNode(version: string): DoctorCheck {
  const base = { id: 'node', title: 'Node.js' };
  if (nodeVersionOk(version)) return { ...base, status: 'ok', detail: `Node ${version}` };
  return {
    ...base,
    status: 'fail',
    detail: `Node ${version} is too old (${MIN_NODE.join('.')} or newer is needed)`,
    fix: 'Install Node 24 LTS, or run `. scripts/node24.sh` in the project folder',
  };
}

function checkDataDir(dataDir: string): DoctorCheck {
  const base = { id: 'data-dir', title: 'Data directory' };
  const elsewhere = 'or choose another folder with --data-dir or DAILY_BRIEF_HOME';
  if (existsSync(dataDir) && !statSync(dataDir).isDirectory()) {
    return {
      ...base,
      status: 'fail',
      detail: `Data directory ${dataDir} is a file`,
      fix: `Move it away, ${elsewhere}`,
    };
  }
  let created: string | undefined;
  try {
    // A real write is the only honest test: permission bits lie on network drives, ACLs and read-only mounts.
    created = mkdirSync(dataDir, { recursive: true });
    const probe = join(dataDir, `.doctor-${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
    writeFileSync(probe, '', { flag: 'wx' });
    unlinkSync(probe);
    const detail = created
      ? `Data directory ${dataDir} can be created (it will be on first refresh)`
      : `Data directory ${dataDir} is writable`;
    return { ...base, status: 'ok', detail };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? describeError(error);
    return {
      ...base,
      status: 'fail',
      detail: `Data directory ${dataDir} is not writable (${code})`,
      fix: `Make it writable by your user, ${elsewhere}`,
    };
  } finally {
    if (created) removeCreated(dataDir, created);
  }
}

/** Undoes our mkdir, one empty level at a time, so nothing someone else wrote meanwhile is deleted. */
function removeCreated(dataDir: string, topmost: string): void {
  for (let dir = dataDir; ; dir = dirname(dir)) {
    try {
      rmdirSync(dir);
    } catch {
      return;
    }
    if (dir === topmost || dirname(dir) === dir) return;
  }
}

function checkSettings(dataDir: string): { check: DoctorCheck; value?: Settings; modelChosen?: boolean } {
  const base = { id: 'settings', title: 'Settings' };
  try {
    const loaded = loadSettings(dataDir);
    const detail = loaded.fromFile
      ? `Settings file ${join(dataDir, SETTINGS_FILE)} is valid`
      : `No ${SETTINGS_FILE} in ${dataDir}: using defaults`;
    return {
      check: { ...base, status: 'ok', detail },
      value: loaded.settings,
      modelChosen: loaded.modelChosen ?? false,
    };
  } catch (error) {
    // The AppError's one line is "message. hint"; split, so the hint becomes the fix instead of being said twice.
    const fix = error instanceof AppError && error.hint ? error.hint : `Fix ${SETTINGS_FILE} or delete it`;
    const detail = error instanceof AppError ? error.message : describeError(error);
    return { check: { ...base, status: 'fail', detail, fix } };
  }
}

function checkDatabase(dataDir: string): DoctorCheck {
  const base = { id: 'database', title: 'Database' };
  const path = join(dataDir, DATABASE_FILE);
  // Opening would create the file, so an absent database is reported, not opened.
  if (!databaseExists(dataDir)) {
    return { ...base, status: 'ok', detail: `No database yet at ${path}: it will be created on first refresh` };
  }
  let db: Db | undefined;
  try {
    // Read-only: the doctor must not migrate or otherwise change the user's data.
    db = openDatabase(dataDir, { readonly: true });
    const rows = db.pragma('quick_check') as { quick_check: string }[];
    const problems = rows.map((r) => r.quick_check).filter((r) => r !== 'ok');
    if (problems.length) {
      const more = problems.length > 1 ? ` and ${problems.length - 1} more` : '';
      return {
        ...base,
        status: 'fail',
        detail: `Database ${path} is damaged (${problems[0] ?? ''}${more})`,
        fix: MOVE_DB_ASIDE,
      };
    }
    const version = schemaVersion(db);
    if (version > MIGRATIONS.length) {
      return {
        ...base,
        status: 'fail',
        detail: `Database ${path} was written by a newer Daily Brief (schema ${version})`,
        fix: 'Update the app, or point --data-dir at another folder',
      };
    }
    const upgrade = version < MIGRATIONS.length ? ', upgraded on next refresh' : '';
    return { ...base, status: 'ok', detail: `Database ${path} passed its quick check (schema ${version}${upgrade})` };
  } catch (error) {
    const detail =
      error instanceof AppError ? error.message : `Database ${path} cannot be read (${describeError(error)})`;
    const fix = error instanceof AppError && error.hint ? error.hint : MOVE_DB_ASIDE;
    return { ...base, status: 'fail', detail, fix };
  } finally {
    db?.close();
  }
}

function checkSources(settings: Settings, accounts: GoogleConnectorDeps): DoctorCheck {
  const base = { id: 'sources', title: 'Sources' };
  // The refresh's own test, so a brief from mail and calendars alone is not called empty. Only the sources that
  // need no account are named as off; the accounts check speaks for the rest.
  const on = allConnectors(accounts).filter((c) => c.enabled(settings));
  const off = settingsConnectors().filter((c) => !c.enabled(settings));
  const { rss } = settings.sources;
  const feeds = rss.feeds.length;
  const names = on.map((c) => (c.id === 'rss' ? `${c.id} (${feeds} feed${feeds === 1 ? '' : 's'})` : c.id));
  const feedless = rss.enabled && !feeds ? '; rss is on but has no feeds' : '';
  if (!on.length) {
    return {
      ...base,
      status: 'warn',
      detail: `All sources are off${feedless}: briefs will be empty`,
      fix: feedless
        ? 'Add a feed to sources.rss.feeds in settings.json'
        : 'Turn one on in settings.json, e.g. sources.rss.enabled: true',
    };
  }
  const offText = off.length ? ` (off: ${off.map((c) => c.id).join(', ')})` : '';
  return { ...base, status: 'ok', detail: `Sources on: ${names.join(', ')}${offText}${feedless}` };
}
