import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AppRuntime } from '../app/runtime.ts';
import { AppError } from '../core/errors.ts';
import { openDatabase } from '../core/store/database.ts';
import { coreFailedEvent, coreFailureDialog, OutputTail, redactPaths, StandingProblems } from './core-failure.ts';

const scratch = mkdtempSync(join(tmpdir(), 'db-core-failure-'));
afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

describe('standing problems', () => {
  it('keeps the last core failure and settings problem until settings are applied', () => {
    const problems = new StandingProblems();
    const invalid = { type: 'settings-invalid', message: 'bad' } as const;
    const failed = { type: 'core-failed', message: 'no database' } as const;
    problems.note(invalid);
    problems.note({ type: 'phase', phase: 'fetch' } as never);
    problems.note(failed);
    expect(problems.standing()).toEqual([invalid, failed]);
    problems.note({ type: 'settings-applied' });
    expect(problems.standing()).toEqual([]);
  });
});

describe('output tail', () => {
  it('keeps the last lines across chunks, without stack frames or blank lines', () => {
    const tail = new OutputTail(3);
    tail.push('one\ntw');
    tail.push('o\n\n    at x (y.js:1:1)\nthree\nfour\nfi');
    expect(tail.lines()).toEqual(['three', 'four', 'fi']);
  });

  it('keeps the stack frames for the log file', () => {
    const tail = new OutputTail(3);
    tail.push('Error: SQLITE_FULL\n    at open (store.js:1:1)\n');
    expect(tail.all()).toEqual(['Error: SQLITE_FULL', '    at open (store.js:1:1)']);
  });
});

/** Where the core's error comes from, a plain line for the window and the error box: no paths, no internal names. */
describe('the core-failed event', () => {
  const plain = (event: { message: string; hint?: string }) => `${event.message}. ${event.hint ?? ''}`;
  const noInternals = (text: string) => {
    expect(text).not.toContain(scratch);
    expect(text).not.toMatch(/\/|\\|E[A-Z]{3,}|SQLITE|core|--data-dir|`/);
  };

  it('says a data folder that is not a folder in plain words', async () => {
    const file = join(scratch, 'not-a-folder');
    writeFileSync(file, 'x');
    const error = await AppRuntime.start({ dataDir: join(file, 'data'), invalidAtStart: 'defaults' }).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    // The real error names the path; the event does not.
    expect(String(error)).toContain(scratch);
    const event = coreFailedEvent(error);
    expect(event.type).toBe('core-failed');
    noInternals(plain(event));
  });

  it('names the usual causes, with what to do', () => {
    const byCode = (code: 'data_readonly' | 'disk_full' | 'db_damaged' | 'db_newer' | 'unreadable_settings') =>
      coreFailedEvent(new AppError(code, `the data folder ${scratch} has a problem`, { hint: 'pass --data-dir' }));
    expect(byCode('disk_full')).toEqual({
      type: 'core-failed',
      message: 'the disk is full',
      hint: 'Free some space, then start Daily Brief again',
    });
    expect(byCode('data_readonly').message).toBe('it cannot save to its data folder (read-only, or not yours)');
    expect(byCode('db_damaged').message).toBe('its database is damaged');
    expect(byCode('db_newer').message).toBe('its data was written by a newer version of Daily Brief');
    expect(byCode('unreadable_settings').message).toBe('its settings file cannot be read');
    // The same words for a system error as for the app's own.
    const enospc = Object.assign(new Error(`ENOSPC: no space left on device, write '${scratch}/x'`), {
      code: 'ENOSPC',
    });
    expect(coreFailedEvent(enospc).message).toBe('the disk is full');
    for (const code of ['data_readonly', 'disk_full', 'db_damaged', 'db_newer', 'unreadable_settings'] as const) {
      noInternals(plain(byCode(code)));
    }
  });

  it('says a database that cannot be opened without its path', () => {
    const file = join(scratch, 'plain-file');
    writeFileSync(file, 'x');
    let error: unknown;
    try {
      openDatabase(join(file, 'data'));
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(AppError);
    noInternals(plain(coreFailedEvent(error)));
  });
});

describe('paths in the core’s last words', () => {
  it('become the file name alone, the home folder first', () => {
    const home = '/home/ann';
    expect(
      redactPaths(`EACCES: permission denied, open '/home/ann/.local/share/daily-brief/daily-brief.db'`, home),
    ).toBe("EACCES: permission denied, open '…/daily-brief.db'");
    expect(redactPaths('could not read /home/ann/x/settings.json (EACCES)', home)).toBe(
      'could not read …/settings.json (EACCES)',
    );
    // A space ends a path: what follows it is relative, and names no one.
    expect(redactPaths('dlopen failed: /opt/Daily Brief/resources/vec0.so: bad ELF', home)).toBe(
      'dlopen failed: …/Daily Brief/resources/vec0.so: bad ELF',
    );
    expect(redactPaths('C:\\Users\\ann\\AppData\\daily-brief.db is locked', 'C:\\Users\\ann')).toBe(
      '…\\daily-brief.db is locked',
    );
    expect(redactPaths('at file:///home/ann/app/out/main.js:3:9', home)).toBe('at …/main.js:3:9');
    expect(redactPaths('in /home/ann', home)).toBe('in ~');
    // Words with a slash in them, and web addresses, are not paths.
    expect(redactPaths('read/write I/O and/or https://example.com/a/b', home)).toBe(
      'read/write I/O and/or https://example.com/a/b',
    );
  });
});

describe('core failure dialog', () => {
  it('says what failed and what to do, then the core’s last words without paths, and offers the log', () => {
    const box = coreFailureDialog(
      { message: 'the disk is full', hint: 'Free some space, then start Daily Brief again' },
      ["the app's core could not start: could not write /home/ann/.local/share/daily-brief/daily-brief.db"],
      { home: '/home/ann', logFile: '/home/ann/.local/share/daily-brief/logs/daily-brief.log' },
    );
    expect(box).toEqual({
      type: 'error',
      title: 'Daily Brief stopped working',
      message: 'Daily Brief stopped working: the disk is full.',
      detail:
        "Free some space, then start Daily Brief again.\n\nThe last lines it wrote, for a bug report:\nthe app's core could not start: could not write …/daily-brief.db",
      buttons: ['Close', 'Show the log file'],
      defaultId: 0,
      cancelId: 0,
    });
  });

  it('has a way on without a hint, and no log button without a log', () => {
    const box = coreFailureDialog({ message: 'x' }, [], { home: '/home/ann', logFile: undefined });
    expect(box.detail).toBe('Quit and start Daily Brief again; if it happens again, the log file has the details.');
    expect(box.buttons).toEqual(['Close']);
  });
});
