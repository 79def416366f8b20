/**
 * A due date in words relative to the brief's day: "today 15:00", "tomorrow", "Wednesday 17:00", "9 Dec".
 * The extractive brief gives "YYYY-MM-DD[ HH:MM]"; a model's own words ("end of day Wednesday") pass as they are.
 */
export function dueWords(due: string, briefDate: string): string {
  const match = /^(\d{4}-\d{2}-\d{2})(?: (\d{2}:\d{2}))?$/.exec(due);
  if (!match?.[1]) return due;
  const day = match[1];
  const days = Math.round((Date.parse(`${day}T12:00:00Z`) - Date.parse(`${briefDate}T12:00:00Z`)) / 86_400_000);
  const at = new Date(`${day}T12:00:00Z`);
  let words: string;
  if (days === 0) words = 'today';
  else if (days === 1) words = 'tomorrow';
  else if (days > 1 && days < 7)
    words = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', weekday: 'long' }).format(at);
  else words = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'short' }).format(at);
  return match[2] ? `${words} ${match[2]}` : words;
}
