import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { issueWords } from './issue-words.ts';

const schema = z
  .object({
    minutes: z.int().min(5),
    ratio: z.number().gt(0),
    name: z.string().min(1),
    code: z.string().max(3),
    mode: z.enum(['metric', 'imperial']),
    count: z.number(),
    whole: z.int(),
    link: z.url(),
    feeds: z.array(z.string()).max(2),
    on: z.boolean(),
    zone: z.string().refine(() => false, 'must be an IANA time zone'),
    needed: z.string(),
  })
  .strict();

function wordsFor(input: Record<string, unknown>): Record<string, string> {
  const result = schema.safeParse(input);
  if (result.success) throw new Error('expected issues');
  return Object.fromEntries(result.error.issues.map((i) => [i.path.join('.') || '(top)', issueWords(i)]));
}

describe('validation problems in words', () => {
  it('says each of zod’s problems as a person would, after the field’s name', () => {
    const words = wordsFor({
      minutes: 1,
      ratio: 0,
      name: '',
      code: 'abcd',
      mode: 'kelvin',
      count: 'ten',
      whole: 1.5,
      link: 'nope',
      feeds: ['a', 'b', 'c'],
      on: 'yes',
      zone: 'Mars/Olympus',
      extra: 1,
    });
    expect(words).toEqual({
      minutes: 'must be at least 5',
      ratio: 'must be more than 0',
      name: 'cannot be empty',
      code: 'must be at most 3 characters long',
      mode: 'must be one of metric, imperial',
      count: 'must be a number',
      whole: 'must be a whole number',
      link: 'must be a web address',
      feeds: 'must have at most 2 entries',
      on: 'must be true or false',
      zone: 'must be an IANA time zone',
      needed: 'is missing',
      '(top)': 'has a field it does not know: extra',
    });
    for (const text of Object.values(words)) expect(text).not.toMatch(/expected|>=|<=|Invalid|Too /);
  });
});
