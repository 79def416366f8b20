/**
 * The settings validator speaks zod ("Too small: expected number to be >=5"); a field's error line speaks to a
 * person ("Choose at least 5."). Messages without a known shape pass through with a capital and a full stop.
 */
const RULES: [RegExp, (match: RegExpExecArray) => string][] = [
  [/^too small: expected number to be >=\s*(\S+)/i, (m) => `Choose at least ${m[1] ?? ''}.`],
  [/^too big: expected number to be <=\s*(\S+)/i, (m) => `Choose at most ${m[1] ?? ''}.`],
  [/^too small: expected number to be >\s*(\S+)/i, (m) => `Choose more than ${m[1] ?? ''}.`],
  [/^too small: expected string to have >=\s*1 /i, () => 'This cannot be empty.'],
  [/^too big: expected string to have <=\s*(\d+)/i, (m) => `Use at most ${m[1] ?? ''} characters.`],
  [/^too big: expected array to have <=\s*(\d+)/i, (m) => `Choose at most ${m[1] ?? ''}.`],
  [/^must be an http\(s\) URL/i, () => 'Enter a web address that starts with https:// or http://.'],
  [/^must be an IANA time zone/i, () => 'Choose a time zone such as Europe/Berlin.'],
  [/^invalid input: expected number/i, () => 'Enter a number.'],
  [/^invalid input: expected int/i, () => 'Enter a whole number.'],
  [/^invalid string: must match pattern/i, () => 'This is not in the expected form.'],
];

export function plainError(message: string): string {
  for (const [pattern, say] of RULES) {
    const match = pattern.exec(message.trim());
    if (match) return say(match);
  }
  const text = message.trim();
  const sentence = text.charAt(0).toUpperCase() + text.slice(1);
  return /[.!?]$/.test(sentence) ? sentence : `${sentence}.`;
}

/** "1 field needs fixing", "2 fields need fixing". */
export function fieldsToFix(count: number): string {
  return count === 1 ? '1 field needs fixing' : `${count} fields need fixing`;
}
