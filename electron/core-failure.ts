import { AppError } from '../core/errors.ts';
import type { BridgeEvent } from './bridge.ts';

type Fatal = Extract<BridgeEvent, { type: 'core-failed' | 'settings-invalid' }>;

/**
 * The problems a page must hear about even if it loads after they happened: a core that could not start and
 * settings that could not be applied. A page asks for them when it subscribes (`standing`). Settings applied
 * (by a core that started, or a fixed settings.json) clear both.
 */
export class StandingProblems {
  private coreFailed: Fatal | undefined;
  private settingsInvalid: Fatal | undefined;

  note(event: BridgeEvent): void {
    if (event.type === 'core-failed') this.coreFailed = event;
    else if (event.type === 'settings-invalid') this.settingsInvalid = event;
    else if (event.type === 'settings-applied') {
      this.coreFailed = undefined;
      this.settingsInvalid = undefined;
    }
  }

  standing(): BridgeEvent[] {
    return [this.settingsInvalid, this.coreFailed].filter((event) => event !== undefined);
  }
}

/**
 * The last lines a process wrote, for the one place a packaged app can show why its core died. Stack frames
 * are left out: the message lines say what failed, the frames only where.
 */
export class OutputTail {
  private readonly kept: string[] = [];
  private partial = '';
  private readonly maxLines: number;

  constructor(maxLines = 8) {
    this.maxLines = maxLines;
  }

  push(chunk: Buffer | string): void {
    const lines = (this.partial + chunk.toString()).split('\n');
    this.partial = lines.pop() ?? '';
    for (const line of lines) this.keep(line);
  }

  lines(): string[] {
    return this.all()
      .filter((line) => !/^\s+at\s/.test(line))
      .slice(-this.maxLines);
  }

  /** Every line kept, stack frames too: for the log file. */
  all(): string[] {
    return [...this.kept, ...(this.partial.trim() ? [this.partial] : [])];
  }

  private keep(line: string): void {
    if (!line.trim()) return;
    this.kept.push(line.slice(0, 300));
    if (this.kept.length > this.maxLines * 4) this.kept.splice(0, this.kept.length - this.maxLines * 4);
  }
}

type CoreFailed = Extract<BridgeEvent, { type: 'core-failed' }>;
type Words = { message: string; hint: string };

const RESTART = 'Quit and start Daily Brief again; if it happens again, the log file has the details';
const READ_ONLY: Words = {
  message: 'it cannot save to its data folder (read-only, or not yours)',
  hint: 'Make the folder writable for you (the log file names it), then start Daily Brief again; your briefs are kept',
};
const FULL: Words = { message: 'the disk is full', hint: 'Free some space, then start Daily Brief again' };

/**
 * The words for the window and the error box, by error code (the app's own, or the system's): the errors' own
 * messages name paths, and their hints name command-line options. Those stay in the log file.
 */
const WORDS: Partial<Record<string, Words>> = {
  data_readonly: READ_ONLY,
  EACCES: READ_ONLY,
  EPERM: READ_ONLY,
  EROFS: READ_ONLY,
  disk_full: FULL,
  ENOSPC: FULL,
  SQLITE_FULL: FULL,
  db_open: {
    message: 'its database could not be opened',
    hint: 'Check that its data folder is there and writable for you (the log file names it), then start Daily Brief again',
  },
  db_damaged: {
    message: 'its database is damaged',
    hint: 'Restore the file from a backup, or move it aside to start afresh (your settings are kept); the log file names it',
  },
  db_newer: {
    message: 'its data was written by a newer version of Daily Brief',
    hint: 'Install that version again',
  },
  unreadable_settings: {
    message: 'its settings file cannot be read',
    hint: 'Make it readable for you, or move it aside to start with the defaults; the log file names it',
  },
};

/** What the window and the error box hear when the core cannot start: in plain words, whatever the error. */
export function coreFailedEvent(error: unknown): CoreFailed {
  const code = error instanceof AppError ? error.code : (error as { code?: unknown } | undefined)?.code;
  const words = (typeof code === 'string' ? WORDS[code] : undefined) ?? {
    message: 'something went wrong while it was starting',
    hint: RESTART,
  };
  return { type: 'core-failed', ...words };
}

/** A path or file URL standing alone: after a space, quote, bracket or `=`, starting at a root, a drive or `~`. */
const ABSOLUTE = /(?<=^|[\s'"`(=[,])(?:file:\/\/)?(?:~|[A-Za-z]:)?[\\/][^\s'"`()[\],;]*/g;

/**
 * A line with every absolute path cut to its last part ("…/daily-brief.db"), the home folder first (a path
 * that is just the home folder becomes "~"): what failed stays readable, where the user keeps things does not.
 */
export function redactPaths(line: string, home: string): string {
  const homeless = home ? line.split(home).join('~') : line;
  return homeless.replace(ABSOLUTE, (path) => {
    const separator = path.includes('/') ? '/' : '\\';
    const last = path
      .split(/[\\/]+/)
      .filter(Boolean)
      .at(-1);
    return last && last !== '~' ? `…${separator}${last}` : path;
  });
}

/** Electron's MessageBoxOptions, as far as the error box uses them. */
export interface FailureBox {
  type: 'error';
  title: string;
  message: string;
  detail: string;
  buttons: string[];
  defaultId: number;
  cancelId: number;
}

/**
 * What the error box says when the core will not run: what failed and what to do; then, smaller, the core's last
 * lines without paths, for a bug report; and a button to the log file, which has them all, when it was written.
 */
export function coreFailureDialog(
  failure: { message: string; hint?: string },
  tail: readonly string[],
  where: { home: string; logFile: string | undefined },
): FailureBox {
  const clause = (text: string) => redactPaths(text.trim().replace(/[.\s]+$/, ''), where.home);
  const lines = tail.map((line) => redactPaths(line, where.home));
  const details = lines.length > 0 ? `\n\nThe last lines it wrote, for a bug report:\n${lines.join('\n')}` : '';
  return {
    type: 'error',
    title: 'Daily Brief stopped working',
    message: `Daily Brief stopped working: ${clause(failure.message)}.`,
    detail: `${clause(failure.hint ?? RESTART)}.${details}`,
    buttons: where.logFile ? ['Close', 'Show the log file'] : ['Close'],
    defaultId: 0,
    cancelId: 0,
  };
}
