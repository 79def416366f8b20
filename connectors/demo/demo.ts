import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Clock } from '../../core/clock.ts';
import { parseSettings, type LoadedSettings } from '../../core/settings.ts';
import { addDays, localDate, zonedInstant } from '../../core/time.ts';
import type { Item } from '../../core/types.ts';
import type { Connector, ConnectorContext } from '../types.ts';
import { demoWeatherItem, type DemoWeather } from './demo-weather.ts';

/**
 * `--demo`: a full sample day (inbox, calendar, feeds, weather) built from sample-day.json, with its
 * times moved to today in the user's zone. It runs through the real workflow, so it shows exactly
 * what a real brief looks like, with no accounts and no network.
 */

interface SampleDay {
  email: { id: string; from: string; subject: string; snippet: string; labels: string[]; ago: number }[];
  calendar: { id: string; title: string; at: string; minutes: number; location: string; attendees: number }[];
  news: { id: string; feed: string; category: string; title: string; snippet: string; url: string; ago: number }[];
  hackernews: { id: number; title: string; url?: string; by: string; score: number; comments: number; ago: number }[];
  weather: DemoWeather;
}

let cached: SampleDay | undefined;
function sampleDay(): SampleDay {
  cached ??= JSON.parse(readFileSync(join(import.meta.dirname, 'sample-day.json'), 'utf8')) as SampleDay;
  return cached;
}

/**
 * The sample day is always seen at 07:00 local time, whatever the real hour, so its meetings are
 * still ahead. The clock ticks on from there so durations stay real.
 */
export function demoClock(base: Clock, timezone: string): Clock {
  const realStart = base.now();
  const seenAt = zonedInstant(localDate(realStart, timezone), DEMO_TIME, timezone);
  const shift = realStart.getTime() - seenAt.getTime();
  return { now: () => new Date(base.now().getTime() - shift) };
}

const DEMO_TIME = '07:00';

export function demoSettings(): LoadedSettings {
  const settings = parseSettings({ location: { name: 'Sample City', latitude: 52.52, longitude: 13.405 } });
  return { settings, fromFile: false, locationSet: true };
}

const minutesAgo = (context: ConnectorContext, minutes: number): string =>
  new Date(context.clock.now().getTime() - minutes * 60_000).toISOString();

function demoConnector(
  id: string,
  label: string,
  kinds: Item['kind'][],
  build: (c: ConnectorContext) => Item[],
): Connector {
  return {
    id,
    label: `${label} (sample)`,
    kinds,
    enabled: () => true,
    fetch: (context) => Promise.resolve({ items: build(context), warnings: [] }),
  };
}

export function demoConnectors(): Connector[] {
  const day = sampleDay();
  return [
    demoConnector('gmail', 'Gmail', ['email'], (context) =>
      day.email.map((m) => {
        const name = /^(.*?)\s*</.exec(m.from)?.[1] ?? m.from;
        const address = /<([^>]+)>/.exec(m.from)?.[1] ?? m.from;
        return {
          id: `gmail:${m.id}`,
          kind: 'email',
          source: 'gmail',
          origin: 'Inbox',
          title: m.subject,
          snippet: m.snippet,
          body: m.snippet,
          author: name,
          publishedAt: minutesAgo(context, m.ago),
          tags: m.labels,
          meta: { from: address, domain: address.split('@')[1] ?? '', labels: m.labels },
        };
      }),
    ),
    demoConnector('calendar', 'Calendar', ['event'], (context) => {
      const tz = context.settings.location.timezone;
      const today = localDate(context.clock.now(), tz);
      return day.calendar.map((e) => {
        const [dayPart, timePart] = e.at.startsWith('+') ? e.at.split(' ') : ['+0d', e.at];
        const date = addDays(today, Number.parseInt((dayPart ?? '+0d').slice(1), 10));
        const start = zonedInstant(date, timePart ?? '09:00', tz);
        return {
          id: `calendar:${e.id}`,
          kind: 'event',
          source: 'calendar',
          origin: 'Calendar',
          title: e.title,
          snippet: `${e.location} · ${e.attendees} attendee${e.attendees === 1 ? '' : 's'}`,
          start: start.toISOString(),
          end: new Date(start.getTime() + e.minutes * 60_000).toISOString(),
          tags: [],
          meta: {
            location: e.location,
            attendees: e.attendees,
            allDay: false,
          },
        };
      });
    }),
    demoConnector('rss', 'News feeds', ['news'], (context) =>
      day.news.map((n) => ({
        id: `rss:${n.id}`,
        kind: 'news',
        source: 'rss',
        origin: n.feed,
        title: n.title,
        snippet: n.snippet,
        url: n.url,
        publishedAt: minutesAgo(context, n.ago),
        category: n.category,
        tags: [],
      })),
    ),
    demoConnector('hackernews', 'Hacker News', ['news'], (context) =>
      day.hackernews.map((s) => ({
        id: `hackernews:${s.id}`,
        kind: 'news',
        source: 'hackernews',
        origin: 'Hacker News',
        title: s.title,
        snippet: s.url ? new URL(s.url).hostname : 'news.ycombinator.com',
        url: s.url ?? `https://news.ycombinator.com/item?id=${s.id}`,
        author: s.by,
        publishedAt: minutesAgo(context, s.ago),
        category: 'tech',
        tags: [],
        meta: { score: s.score, comments: s.comments, hnUrl: `https://news.ycombinator.com/item?id=${s.id}` },
      })),
    ),
    demoConnector('weather', 'Weather', ['weather'], (context) => [demoWeatherItem(day.weather, context)]),
  ];
}
