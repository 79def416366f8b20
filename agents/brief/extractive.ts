import type {
  Brief,
  BriefItem,
  BriefSection,
  SectionKind,
  SourceStatus,
  TldrBullet,
  WeatherSummary,
} from '../../core/types.ts';
import { addDays, localDate, localTime } from '../../core/time.ts';
import type { RankedItem } from '../workflow/state.ts';

/**
 * The brief without a model: the top items, grouped and ordered. It is always available, so it is
 * also what the LLM layer falls back to.
 */

const SECTION_TITLES: Record<SectionKind, string> = {
  email: 'Important email',
  calendar: 'Today’s calendar',
  market: 'Markets',
  tech: 'Tech',
  news: 'Other news',
};
const SECTION_LIMITS: Record<SectionKind, number> = { email: 10, calendar: 20, market: 8, tech: 10, news: 8 };
/** The TLDR draws from these, in this order of priority. */
const TLDR_ORDER: SectionKind[] = ['email', 'calendar', 'market', 'tech', 'news'];
const NEWS_MAX_AGE_HOURS = 72;

export interface ComposeInput {
  id: string;
  ranked: RankedItem[];
  sources: SourceStatus[];
  now: Date;
  timezone: string;
  dataAsOf: string;
  fetchMs: number;
  notices: string[];
  demo: boolean;
}

export function sectionOf(item: { kind: string; category?: string; source: string }): SectionKind | null {
  if (item.kind === 'email') return 'email';
  if (item.kind === 'event') return 'calendar';
  if (item.kind !== 'news') return null;
  if (item.category === 'market') return 'market';
  if (item.category === 'tech' || item.source === 'hackernews') return 'tech';
  return 'news';
}

export function composeExtractiveBrief(input: ComposeInput): Omit<Brief, 'timings'> & { timings: { fetchMs: number } } {
  const { now, timezone } = input;
  const today = localDate(now, timezone);
  const sections = buildSections(input.ranked, now, timezone);
  // Yesterday's forecast served as stale would be worse than none.
  const weatherItem = input.ranked.find((r) => r.item.kind === 'weather' && r.item.id === `weather:${today}`);
  const summary = weatherItem ? toWeatherSummary(weatherItem.item.meta) : null;
  const weather = summary && weatherItem?.stale ? { ...summary, stale: true } : summary;
  return {
    id: input.id,
    generatedAt: now.toISOString(),
    dataAsOf: input.dataAsOf,
    date: today,
    timezone,
    ...(input.demo ? { demo: true } : {}),
    tldr: buildTldr(sections, now, timezone),
    sections,
    weather,
    sources: input.sources,
    generator: { mode: 'extractive', model: null, llmCalls: 0, promptTokens: 0, completionTokens: 0, durationMs: 0 },
    timings: { fetchMs: input.fetchMs },
    notices: input.notices,
  };
}

/** Items grouped into sections in TLDR order, best first (calendar by time), each section capped. */
export function buildSections(ranked: RankedItem[], now: Date, timezone: string): BriefSection[] {
  const groups = new Map<SectionKind, RankedItem[]>();
  const seenUrls = new Set<string>();
  const sorted = [...ranked].sort((a, b) => b.score - a.score);
  for (const entry of sorted) {
    const kind = sectionOf(entry.item);
    if (!kind) continue;
    if (kind === 'calendar' && !isCurrent(entry, now, timezone)) continue;
    if (entry.item.kind === 'news' && isOld(entry, now)) continue;
    // The same story often arrives from two feeds; show it once.
    const url = entry.item.url?.replace(/[?#].*$/, '');
    if (entry.item.kind === 'news' && url) {
      if (seenUrls.has(url)) continue;
      seenUrls.add(url);
    }
    const list = groups.get(kind) ?? [];
    list.push(entry);
    groups.set(kind, list);
  }
  const sections: BriefSection[] = [];
  for (const kind of TLDR_ORDER) {
    let entries = groups.get(kind);
    if (!entries?.length) continue;
    if (kind === 'calendar')
      entries = [...entries].sort((a, b) => (a.item.start ?? '').localeCompare(b.item.start ?? ''));
    sections.push({
      kind,
      title: SECTION_TITLES[kind],
      items: entries.slice(0, SECTION_LIMITS[kind]).map(toBriefItem),
    });
  }
  return sections;
}

/** Calendar shows today's events (including ones under way) and tomorrow's, nothing further out. */
function isCurrent(entry: RankedItem, now: Date, timezone: string): boolean {
  const start = entry.item.start;
  if (!start) return false;
  const end = entry.item.end ?? start;
  const today = localDate(now, timezone);
  return localDate(end, timezone) >= today && localDate(start, timezone) <= addDays(today, 1);
}

function isOld(entry: RankedItem, now: Date): boolean {
  const at = entry.item.publishedAt ? Date.parse(entry.item.publishedAt) : NaN;
  return !Number.isNaN(at) && now.getTime() - at > NEWS_MAX_AGE_HOURS * 3_600_000;
}

function toBriefItem(entry: RankedItem): BriefItem {
  const { item } = entry;
  const out: BriefItem = {
    id: item.id,
    kind: item.kind,
    source: item.source,
    title: item.title,
    snippet: item.snippet,
    score: entry.score,
  };
  if (item.origin) out.origin = item.origin;
  if (item.url) out.url = item.url;
  if (item.author) out.author = item.author;
  if (item.category) out.category = item.category;
  if (item.publishedAt) out.publishedAt = item.publishedAt;
  if (item.start) out.start = item.start;
  if (item.end) out.end = item.end;
  if (entry.stale) out.stale = true;
  if (entry.reasons?.length) out.reasons = entry.reasons;
  if (entry.vote) out.vote = entry.vote;
  if (item.meta && Object.keys(item.meta).length) out.meta = item.meta;
  return out;
}

export function buildTldr(sections: BriefSection[], now: Date, timezone: string): TldrBullet[] {
  const byKind = new Map(sections.map((s) => [s.kind, s]));
  const queues = TLDR_ORDER.map((kind) => {
    const section = byKind.get(kind);
    if (!section) return { kind, items: [] as BriefItem[] };
    const items =
      kind === 'calendar'
        ? section.items.filter((i) => localDate(i.start ?? '', timezone) === localDate(now, timezone))
        : section.items;
    return { kind, items: [...items] };
  });
  const bullets: TldrBullet[] = [];
  // First one bullet per kind in priority order, then go round again while there is room.
  for (let round = 0; bullets.length < 3 && queues.some((q) => q.items.length); round++) {
    for (const queue of queues) {
      if (bullets.length >= 3) break;
      if (queue.kind === 'calendar' && round === 0) {
        const bullet = calendarBullet(queue.items, now, timezone);
        queue.items = [];
        if (bullet) bullets.push(bullet);
        continue;
      }
      const item = queue.items.shift();
      if (item) bullets.push({ text: bulletText(queue.kind, item), itemIds: [item.id] });
    }
  }
  return bullets;
}

function calendarBullet(events: BriefItem[], now: Date, timezone: string): TldrBullet | null {
  if (!events.length) return null;
  const upcoming = events.filter((e) => Date.parse(e.end ?? e.start ?? '') >= now.getTime());
  const next = upcoming[0];
  const count = events.length === 1 ? '1 event today' : `${events.length} events today`;
  if (!next) return { text: `${count}, all done`, itemIds: events.map((e) => e.id) };
  const when = next.meta?.allDay === true ? 'all day' : `at ${localTime(next.start ?? '', timezone)}`;
  const where = typeof next.meta?.location === 'string' && next.meta.location ? ` (${next.meta.location})` : '';
  return { text: `${count}; next ${when}: ${next.title}${where}`, itemIds: [next.id] };
}

function bulletText(kind: SectionKind, item: BriefItem): string {
  switch (kind) {
    case 'email':
      return item.author ? `Email from ${item.author}: ${item.title}` : `Email: ${item.title}`;
    case 'calendar':
      return item.title;
    case 'market':
      return `Markets: ${item.title}${item.origin ? ` (${item.origin})` : ''}`;
    case 'tech': {
      const points = typeof item.meta?.score === 'number' ? `, ${item.meta.score} points` : '';
      return `Tech: ${item.title}${item.origin ? ` (${item.origin}${points})` : ''}`;
    }
    case 'news':
      return `${item.title}${item.origin ? ` (${item.origin})` : ''}`;
  }
}

function toWeatherSummary(meta: Record<string, unknown> | undefined): WeatherSummary | null {
  if (!meta || typeof meta.summary !== 'string' || !Array.isArray(meta.advice)) return null;
  return meta as unknown as WeatherSummary;
}
