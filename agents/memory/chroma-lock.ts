import { linkSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import type { Logger } from '../../core/log.ts';
import { heartbeat } from './chroma-net.ts';
import { isAlive, isChromaFor, killLeftover } from './chroma-process.ts';

/**
 * The lock file that makes one server per data directory across processes: it holds the server's pid and port, and
 * the process that supervises it. Others reuse that server, wait for it, or take over a lock that was left behind.
 */

export const CHROMA_LOCK_FILE = 'server.lock';

export interface LockContent {
  pid: number;
  port: number;
  /** The process that supervises the server; while it lives, its lock is never taken over. */
  owner?: number;
  startedAt?: number;
}

export interface ReadLock {
  raw: string;
  mtimeMs: number;
  content: LockContent | undefined;
}

export type LockVerdict = 'reuse' | 'wait' | 'stale';

/** Atomic: the lock is written to a temporary file, then hard-linked into place, which fails if one exists. */
export function createLock(lockPath: string): boolean {
  const temp = `${lockPath}.${process.pid}-${Math.random().toString(36).slice(2)}.tmp`;
  writeFileSync(temp, JSON.stringify({ pid: 0, port: 0, owner: process.pid, startedAt: Date.now() }));
  try {
    linkSync(temp, lockPath);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    unlinkQuietly(temp);
  }
}

export function writeLock(lockPath: string, content: LockContent): void {
  const temp = `${lockPath}.${process.pid}.tmp`;
  writeFileSync(temp, JSON.stringify(content));
  renameSync(temp, lockPath);
}

export function readLock(path: string): ReadLock | undefined {
  try {
    const raw = readFileSync(path, 'utf8');
    const mtimeMs = statSync(path).mtimeMs;
    let content: LockContent | undefined;
    try {
      const parsed = JSON.parse(raw) as Partial<LockContent>;
      if (typeof parsed.pid === 'number' && typeof parsed.port === 'number') {
        content = { pid: parsed.pid, port: parsed.port };
        if (typeof parsed.owner === 'number') content.owner = parsed.owner;
        if (typeof parsed.startedAt === 'number') content.startedAt = parsed.startedAt;
      }
    } catch {
      content = undefined;
    }
    return { raw, mtimeMs, content };
  } catch {
    return undefined;
  }
}

/** Only our own lock: another supervisor may have taken over a lock we lost. */
export function removeOwnLock(lockPath: string, isHeldByAnother: () => boolean): void {
  const lock = readLock(lockPath);
  if (lock?.content?.owner === process.pid && !isHeldByAnother()) unlinkQuietly(lockPath);
}

/** Reuse a live, answering server; wait while its owner lives (it is starting or restarting); else stale. */
export async function judgeLock(
  lock: ReadLock,
  isOrphanedOwnLock: (content: LockContent) => boolean,
): Promise<LockVerdict> {
  const content = lock.content;
  if (!content) return Date.now() - lock.mtimeMs < 5000 ? 'wait' : 'stale';
  const ownerAlive = content.owner !== undefined && isAlive(content.owner) && !isOrphanedOwnLock(content);
  const serverAlive = content.pid > 0 && isAlive(content.pid);
  if (serverAlive && (ownerAlive || content.owner === undefined) && (await heartbeat(content.port))) return 'reuse';
  return ownerAlive ? 'wait' : 'stale';
}

/** Its server may still be shutting down (the watchdog kills it once its owner is gone): make sure it is gone. */
export async function clearStaleLock(lockPath: string, chromaDir: string, lock: ReadLock, log: Logger): Promise<void> {
  const pid = lock.content?.pid ?? 0;
  if (pid > 0 && isAlive(pid) && isChromaFor(pid, chromaDir)) await killLeftover(pid, log);
  // Renamed away first, so that of two processes taking over one stale lock only one removes it.
  const aside = `${lockPath}.stale-${process.pid}-${Math.random().toString(36).slice(2)}`;
  try {
    renameSync(lockPath, aside);
  } catch {
    return;
  }
  try {
    if (readFileSync(aside, 'utf8') !== lock.raw) linkSync(aside, lockPath);
  } catch {
    // Someone else has written a new lock meanwhile: theirs wins.
  } finally {
    unlinkQuietly(aside);
  }
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Already gone.
  }
}
