import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from './errors.ts';
import { jsonErrorAt } from './json-error.ts';
import { parseSettings, SETTINGS_FILE, type LoadedSettings } from './settings.ts';

/** settings.json from the data folder, or the defaults when there is none. Kept apart so settings.ts stays free of Node. */
export function loadSettings(dataDir: string): LoadedSettings {
  const path = join(dataDir, SETTINGS_FILE);
  if (!existsSync(path)) return { settings: parseSettings({}), fromFile: false, locationSet: false };
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new AppError('unreadable_settings', `could not read ${path} (${code})`, {
      hint: 'Make it a readable file, or remove it to use the defaults',
      cause: error,
    });
  }
  let raw: unknown;
  try {
    // Editors on Windows like to start files with a byte-order mark, which JSON.parse rejects.
    raw = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    // One line: V8's message may quote an excerpt with the file's own line breaks in it.
    const at = jsonErrorAt(text.replace(/^\uFEFF/, ''));
    const where = at ? `line ${at.line} column ${at.column}` : 'it is empty or cut short';
    throw new AppError('invalid_settings', `${path} is not valid JSON (${where})`, {
      hint: 'Fix the file or delete it to use the defaults',
      cause: error,
    });
  }
  const settings = parseSettings(raw, path);
  const locationSet = typeof raw === 'object' && raw !== null && 'location' in raw;
  const llm = typeof raw === 'object' && raw !== null && 'llm' in raw ? raw.llm : undefined;
  const modelChosen = typeof llm === 'object' && llm !== null && ('provider' in llm || 'model' in llm);
  return { settings, fromFile: true, locationSet, modelChosen };
}
