/**
 * The settings check says a field's problem in words that follow its name in a file ("must be at least 5");
 * next to a form's input they read better as an instruction ("Choose at least 5."). Messages without a known
 * shape pass through with a capital and a full stop.
 */
const RULES: [RegExp, (match: RegExpExecArray) => string][] = [
  [/^must be at most (\d+) characters? long$/, (m) => `Use at most ${m[1] ?? ''} characters.`],
  [/^must be at least (\d+) characters? long$/, (m) => `Use at least ${m[1] ?? ''} characters.`],
  [/^must have at most (\S+) entr/, (m) => `Choose at most ${m[1] ?? ''}.`],
  [/^must be at least (\S+)$/, (m) => `Choose at least ${m[1] ?? ''}.`],
  [/^must be at most (\S+)$/, (m) => `Choose at most ${m[1] ?? ''}.`],
  [/^must be more than (\S+)$/, (m) => `Choose more than ${m[1] ?? ''}.`],
  [/^must be less than (\S+)$/, (m) => `Choose less than ${m[1] ?? ''}.`],
  [/^cannot be empty$/, () => 'This cannot be empty.'],
  [/^is missing$/, () => 'Fill this in.'],
  [/^must be one of /, () => 'Choose one of the options.'],
  [/^must be (an http\(s\) URL|a web address)/, () => 'Enter a web address that starts with https:// or http://.'],
  [/^must be an IANA time zone/, () => 'Choose a time zone such as Europe/Berlin.'],
  [/^must be a number$/, () => 'Enter a number.'],
  [/^must be a whole number$/, () => 'Enter a whole number.'],
  [/^is not a valid /, () => 'This is not in the expected form.'],
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

/** Settings the form has no field for, by where they sit, named as the form's own headings name them. */
const SETTING_NAMES: [string, string][] = [
  ['location', 'Where you are'],
  ['schedule', 'When to write it'],
  ['sources.rss', 'News'],
  ['sources.hackernews', 'Hacker News'],
  ['sources.weather', 'Weather'],
  ['sources.gmail', 'Email and calendar'],
  ['sources.calendar', 'Email and calendar'],
  ['sources.imap', 'Email and calendar'],
  ['sources.caldav', 'Email and calendar'],
  ['sources.ics', 'Email and calendar'],
  ['google', 'Email and calendar'],
  ['refresh', 'Time limits'],
  ['desktop', 'Desktop'],
  ['llm', 'Model'],
  ['memory', 'Memory'],
  ['interests', 'What you care about'],
  ['ui', 'How it looks'],
];

/** A problem with a setting outside the form's fields: "Hacker News: Enter a number.", never the setting's key. */
export function otherProblem(path: string, message: string): string {
  const named = SETTING_NAMES.find(([prefix]) => path === prefix || path.startsWith(`${prefix}.`));
  return `${named?.[1] ?? 'Another setting'}: ${plainError(message)}`;
}

/** "1 field needs fixing", "2 fields need fixing". */
export function fieldsToFix(count: number): string {
  return count === 1 ? '1 field needs fixing' : `${count} fields need fixing`;
}
