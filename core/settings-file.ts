import { randomBytes } from 'node:crypto';
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { issueWords } from './issue-words.ts';
import {
  formatPath,
  SETTINGS_FILE,
  settingsSchema,
  type Settings,
  type SettingsCheck,
  type SettingsFieldError,
} from './settings.ts';

export type { SettingsCheck, SettingsFieldError } from './settings.ts';

/** Every problem at once, each on its field, so a form can show them all next to their inputs. */
export function validateSettings(raw: unknown): SettingsCheck {
  const checked = checkSettings(raw);
  return checked.ok ? { ok: true } : checked;
}

function checkSettings(raw: unknown): { ok: true; settings: Settings } | { ok: false; errors: SettingsFieldError[] } {
  const result = settingsSchema.safeParse(raw);
  if (result.success) return { ok: true, settings: result.data };
  return {
    ok: false,
    errors: result.error.issues.map((issue) => ({ path: formatPath(issue.path), message: issueWords(issue) })),
  };
}

/**
 * All or nothing: an invalid object writes nothing, and a valid one goes to a temporary file in the same
 * folder that is then renamed over settings.json, so a crash mid-write never leaves half a file behind.
 */
export function saveSettings(dataDir: string, raw: unknown): SettingsCheck {
  const checked = checkSettings(raw);
  if (!checked.ok) return checked;
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const target = join(dataDir, SETTINGS_FILE);
  const temp = join(dataDir, `.${SETTINGS_FILE}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    writeFileSync(temp, `${JSON.stringify(checked.settings, null, 2)}\n`, { mode: 0o600, flush: true });
    renameSync(temp, target);
  } finally {
    rmSync(temp, { force: true });
  }
  return { ok: true };
}
