import { chmodSync, existsSync, lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The data folder holds mail subjects and bodies, tokens and settings: only its owner may read it. New files
 * are private through the umask (`privateUmask`); folders and files an older version or another tool left
 * open are tightened here. Returns how many were tightened (0 on Windows, whose ACLs this does not touch).
 */
export function makePrivate(dataDir: string): number {
  if (process.platform === 'win32' || !existsSync(dataDir)) return 0;
  let tightened = 0;
  const visit = (path: string) => {
    let stat;
    try {
      stat = lstatSync(path);
    } catch {
      return; // Gone meanwhile (a WAL file at checkpoint).
    }
    if (stat.isSymbolicLink()) return;
    if ((stat.mode & 0o077) !== 0) {
      try {
        // The owner keeps what it had (a folder also needs x); group and others lose everything.
        chmodSync(path, (stat.mode & 0o700) | (stat.isDirectory() ? 0o700 : 0));
        tightened++;
      } catch {
        // Not ours to change (a read-only mount): the store reports what matters when it opens.
      }
    }
    if (stat.isDirectory()) for (const name of readdirSync(path)) visit(join(path, name));
  };
  visit(dataDir);
  return tightened;
}

/** Every file this process creates is private to its owner, whatever umask it was started with. */
export function privateUmask(): void {
  if (process.platform === 'win32') return;
  try {
    process.umask(0o077);
  } catch {
    // Worker threads cannot set it; their files are tightened by makePrivate at the next start.
  }
}
