import { describe, expect, it } from 'vitest';
import { coreFailureDialog, OutputTail, StandingProblems } from './core-failure.ts';

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
});

describe('core failure dialog', () => {
  it('says what failed, what to do, and the core’s last words', () => {
    const box = coreFailureDialog({ message: 'disk full', hint: 'Free some space' }, ['Error: SQLITE_FULL']);
    expect(box).toEqual({
      title: 'Daily Brief could not start',
      content: "disk full\n\nFree some space\n\nThe core's last output:\nError: SQLITE_FULL",
    });
    expect(coreFailureDialog({ message: 'x' }, []).content).not.toContain('last output');
  });
});
