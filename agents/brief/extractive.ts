import type { Brief, BriefItem, BriefSection, SectionKind, SourceStatus, WeatherSummary } from '../../core/types.ts';
import { addDays, localDate } from '../../core/time.ts';
import type { RankedItem } from '../workflow/state.ts';
import { extractActionItems } from './actions.ts';
import { clusterStories, type Clustered } from './cluster.ts';
import { isExpiredRepeat, repeatMarks, type RepeatMark, type ShownHistory } from './repeats.ts';
import { TLDR_ORDER, buildTldr } from './tldr.ts';

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
  /** What earlier briefs showed, for marking repeats. */
  history?: ShownHistory;
  /** Item vectors from memory, for clustering stories by meaning. */
  vectors?: (itemId: string) => number[] | undefined;
}

export interface SectionOptions {
  vectors?: (itemId: string) => number[] | undefined;
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
  const ranked = input.history ? withRepeats(input.ranked, input.history, timezone) : input.ranked;
  const sections = buildSections(ranked, now, timezone, input.vectors ? { vectors: input.vectors } : {});
  const actionItems = extractActionItems(
    ranked.filter((r) => r.item.kind === 'email').map((r) => r.item),
    timezone,
    now,
  ).filter((a) => (a.due ?? today) >= today);
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
    ...(actionItems.length ? { actionItems } : {}),
    sections,
    weather,
    sources: input.sources,
    generator: { mode: 'extractive', model: null, llmCalls: 0, promptTokens: 0, completionTokens: 0, durationMs: 0 },
    timings: { fetchMs: input.fetchMs },
    notices: input.notices,
  };
}

/** The ranked items with what earlier briefs showed marked on them. */
export function withRepeats(ranked: RankedItem[], history: ShownHistory, timezone: string): RankedItem[] {
  const marks = repeatMarks(
    ranked.map((r) => r.item),
    history,
    timezone,
  );
  return ranked.map((r) => {
    const repeat = marks.get(r.item.id);
    return repeat ? { ...r, repeat } : r;
  });
}

/**
 * Items grouped into sections in TLDR order, best first (calendar by time), each section capped. One
 * story from several sources is one item; what an earlier brief showed unchanged goes after the rest.
 */
export function buildSections(
  ranked: RankedItem[],
  now: Date,
  timezone: string,
  options: SectionOptions = {},
): BriefSection[] {
  const today = localDate(now, timezone);
  const eligible = [...ranked]
    .sort((a, b) => b.score - a.score)
    .filter((entry) => {
      const kind = sectionOf(entry.item);
      if (!kind) return false;
      if (kind === 'calendar' && !isCurrent(entry, now, timezone)) return false;
      return !(entry.item.kind === 'news' && isOld(entry, now));
    });
  const groups = new Map<SectionKind, { entry: RankedItem; others: RankedItem[] }[]>();
  for (const story of clusterStories(eligible, options.vectors)) {
    const repeat = storyRepeat(story);
    if (isExpiredRepeat(story.lead.item.kind, repeat, today)) continue;
    const kind = sectionOf(story.lead.item);
    if (!kind) continue;
    const entry = repeat === story.lead.repeat ? story.lead : { ...story.lead, repeat };
    const list = groups.get(kind) ?? [];
    list.push({ entry, others: story.others });
    groups.set(kind, list);
  }
  const sections: BriefSection[] = [];
  for (const kind of TLDR_ORDER) {
    let entries = groups.get(kind);
    if (!entries?.length) continue;
    entries =
      kind === 'calendar'
        ? [...entries].sort((a, b) => (a.entry.item.start ?? '').localeCompare(b.entry.item.start ?? ''))
        : // Stable: fresh and updated items first, in rank order, then the ones seen before.
          [...entries].sort((a, b) => Number(!!a.entry.repeat?.firstShownOn) - Number(!!b.entry.repeat?.firstShownOn));
    sections.push({
      kind,
      title: SECTION_TITLES[kind],
      items: entries.slice(0, SECTION_LIMITS[kind]).map(({ entry, others }) => toBriefItem(entry, others)),
    });
  }
  return sections;
}

/**
 * A story is seen before when any of its reports was shown unchanged (a retelling of yesterday's story
 * is not news), and updated when any of them changed; the earliest showing counts.
 */
function storyRepeat(story: Clustered<RankedItem>): RepeatMark | undefined {
  const marks = [story.lead, ...story.others].flatMap((e) => (e.repeat ? [e.repeat] : []));
  const updated = marks.find((m) => m.updated);
  if (updated) return story.lead.repeat?.updated ? story.lead.repeat : updated;
  const firsts = marks.flatMap((m) => (m.firstShownOn ? [m.firstShownOn] : [])).sort();
  return firsts[0] ? { firstShownOn: firsts[0] } : undefined;
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

function toBriefItem(entry: RankedItem, others: RankedItem[] = []): BriefItem {
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
  if (entry.explored) out.explored = true;
  if (others.length) {
    out.alsoFrom = others.map(({ item: other }) => ({
      id: other.id,
      title: other.title,
      ...(other.origin ? { origin: other.origin } : {}),
      ...(other.url ? { url: other.url } : {}),
    }));
  }
  if (entry.repeat?.firstShownOn) out.firstShownOn = entry.repeat.firstShownOn;
  if (entry.repeat?.updated) {
    out.updated = true;
    if (entry.repeat.change) out.change = entry.repeat.change;
  }
  if (item.meta && Object.keys(item.meta).length) out.meta = item.meta;
  return out;
}

function toWeatherSummary(meta: Record<string, unknown> | undefined): WeatherSummary | null {
  if (!meta || typeof meta.summary !== 'string' || !Array.isArray(meta.advice)) return null;
  return meta as unknown as WeatherSummary;
}
