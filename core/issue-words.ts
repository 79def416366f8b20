import type { z } from 'zod';

/**
 * A validation problem in words that follow a field's name ("schedule.everyMinutes must be at least 5"), from
 * the issue's own facts rather than zod's stock text ("Too small: expected number to be >=5"). A message the
 * schema wrote itself ("must be an IANA time zone") is already words and passes through.
 */
export function issueWords(issue: z.core.$ZodIssue): string {
  if (!STOCK.test(issue.message)) return issue.message;
  switch (issue.code) {
    case 'too_small':
      return bound(issue.origin, Number(issue.minimum), issue.inclusive ?? true, 'least');
    case 'too_big':
      return bound(issue.origin, Number(issue.maximum), issue.inclusive ?? true, 'most');
    case 'invalid_type':
      return /received undefined$/.test(issue.message)
        ? 'is missing'
        : `must be ${TYPE_WORDS[issue.expected] ?? issue.expected}`;
    case 'invalid_value':
      return `must be one of ${issue.values.map(String).join(', ')}`;
    case 'invalid_format':
      return issue.format === 'url' ? 'must be a web address' : `is not a valid ${issue.format}`;
    case 'unrecognized_keys':
      return `has ${issue.keys.length === 1 ? 'a field' : 'fields'} it does not know: ${issue.keys.join(', ')}`;
    default:
      return 'is not valid';
  }
}

/** zod's own messages start like these; ours are lower-case words. */
const STOCK = /^(Too small|Too big|Invalid|Unrecognized)/;

const TYPE_WORDS: Record<string, string> = {
  number: 'a number',
  int: 'a whole number',
  string: 'text',
  boolean: 'true or false',
  array: 'a list',
  object: 'an object ({ … })',
};

function bound(origin: string, limit: number, inclusive: boolean, side: 'least' | 'most'): string {
  const n = String(limit);
  if (origin === 'string') {
    if (side === 'least' && limit === 1) return 'cannot be empty';
    return `must be at ${side} ${n} character${limit === 1 ? '' : 's'} long`;
  }
  if (origin === 'array' || origin === 'set') {
    if (side === 'least' && limit === 1) return 'needs at least one entry';
    return `must have at ${side} ${n} entr${limit === 1 ? 'y' : 'ies'}`;
  }
  if (!inclusive) return `must be ${side === 'least' ? 'more' : 'less'} than ${n}`;
  return `must be at ${side} ${n}`;
}
