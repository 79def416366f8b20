import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { AppError } from '../errors.ts';
import type { SecretStore } from './types.ts';

/**
 * The opt-in store for machines without a keyring (`secrets.allowFileStore: true`). Tokens are encrypted with
 * AES-256-GCM; the key sits in a second 0600 file outside the data folder, so a copy or backup of the data folder
 * alone does not carry usable tokens. It does not protect against other programs running as the same user, which
 * is why it is opt-in and warns.
 */
export const SECRETS_FILE = 'secrets.enc.json';

const fileSchema = z.object({
  version: z.literal(1),
  entries: z.record(z.string(), z.object({ iv: z.string(), tag: z.string(), data: z.string() })),
});
type SecretsFile = z.infer<typeof fileSchema>;

/** `$XDG_STATE_HOME/daily-brief/secrets.key`, else `~/.local/state/daily-brief/secrets.key`. */
export function defaultKeyPath(env: NodeJS.ProcessEnv = process.env): string {
  const state = env.XDG_STATE_HOME || join(homedir(), '.local', 'state');
  return join(state, 'daily-brief', 'secrets.key');
}

export function fileStore(options: { path: string; keyPath: string }): SecretStore {
  const { path, keyPath } = options;
  const key = (): Buffer => loadOrCreateKey(keyPath);
  return {
    label: `encrypted file ${path}`,
    get: (name) => {
      const entry = read(path).entries[name];
      if (!entry) return Promise.resolve(undefined);
      try {
        const decipher = createDecipheriv('aes-256-gcm', key(), Buffer.from(entry.iv, 'base64'));
        decipher.setAuthTag(Buffer.from(entry.tag, 'base64'));
        const plain = Buffer.concat([decipher.update(Buffer.from(entry.data, 'base64')), decipher.final()]);
        return Promise.resolve(plain.toString('utf8'));
      } catch (error) {
        return Promise.reject(
          new AppError('secret_unreadable', `the stored token "${name}" cannot be decrypted with ${keyPath}`, {
            hint: 'The key file was replaced or the token file damaged; connect the account again',
            cause: error,
          }),
        );
      }
    },
    has: (name) => Promise.resolve().then(() => Object.hasOwn(read(path).entries, name)),
    set: (name, value) => {
      const file = read(path);
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key(), iv);
      const data = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
      file.entries[name] = {
        iv: iv.toString('base64'),
        tag: cipher.getAuthTag().toString('base64'),
        data: data.toString('base64'),
      };
      write(path, file);
      return Promise.resolve();
    },
    delete: (name) => {
      const file = read(path);
      if (!(name in file.entries)) return Promise.resolve();
      // eslint-disable-next-line @typescript-eslint/no-dynamic-delete -- a record keyed by secret name
      delete file.entries[name];
      write(path, file);
      return Promise.resolve();
    },
  };
}

function read(path: string): SecretsFile {
  if (!existsSync(path)) return { version: 1, entries: {} };
  const parsed = fileSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  if (!parsed.success) {
    throw new AppError('secret_file', `${path} is not a token file this version can read`, {
      hint: 'Move it aside and connect your accounts again',
      cause: parsed.error,
    });
  }
  return parsed.data;
}

/** Temp file and rename, created 0600: a crash never leaves half a file, and no moment is it world-readable. */
function write(path: string, file: SecretsFile): void {
  mkdirSync(dirname(path), { recursive: true });
  const temp = `${path}.${String(process.pid)}.tmp`;
  writeFileSync(temp, JSON.stringify(file), { mode: 0o600 });
  chmodSync(temp, 0o600);
  renameSync(temp, path);
}

function loadOrCreateKey(keyPath: string): Buffer {
  if (existsSync(keyPath)) {
    const mode = statSync(keyPath).mode & 0o777;
    if (process.platform !== 'win32' && (mode & 0o077) !== 0) {
      throw new AppError('secret_key_mode', `${keyPath} can be read by other users (mode ${mode.toString(8)})`, {
        hint: `Run \`chmod 600 ${keyPath}\``,
      });
    }
    const key = Buffer.from(readFileSync(keyPath, 'utf8').trim(), 'base64');
    if (key.length !== 32) throw new AppError('secret_key', `${keyPath} is not a 256-bit key`);
    return key;
  }
  mkdirSync(dirname(keyPath), { recursive: true, mode: 0o700 });
  const key = randomBytes(32);
  // "wx": two processes racing to create it cannot both write different keys.
  writeFileSync(keyPath, key.toString('base64'), { mode: 0o600, flag: 'wx' });
  return key;
}
