import { describe, expect, it } from 'vitest';
import { AppError, describeError } from './errors.ts';

describe('one error line', () => {
  it('joins what failed and what to do with one full stop, whatever the message ends with', () => {
    expect(new AppError('refused', 'the server refused', { hint: 'Check the port' }).oneLine()).toBe(
      'the server refused. Check the port',
    );
    expect(new AppError('refused', 'the server refused.', { hint: 'Check the port' }).oneLine()).toBe(
      'the server refused. Check the port',
    );
    expect(new AppError('refused', 'allowed choices are up, down..  ', { hint: 'See --help' }).oneLine()).toBe(
      'allowed choices are up, down. See --help',
    );
    expect(describeError(new AppError('refused', 'no hint here.'))).toBe('no hint here.');
  });
});
