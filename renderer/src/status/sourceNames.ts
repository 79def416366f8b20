const NAMES: Record<string, string> = {
  gmail: 'Email',
  calendar: 'Calendar',
  rss: 'News feeds',
  hackernews: 'Hacker News',
  weather: 'Weather',
  imap: 'Email',
  caldav: 'Calendar',
  ics: 'Calendar',
};

/** A source as people call it ("News feeds", not "rss"). */
export function sourceName(id: string): string {
  return NAMES[id] ?? id.charAt(0).toUpperCase() + id.slice(1);
}
