import type { Item } from '../../core/types.ts';
import { localDate } from '../../core/time.ts';

/**
 * The starting ranker: kind priority, recency and a source signal, each in [0, 1].
 * Feedback-driven preferences replace the source signal in a later layer; this stays as the prior.
 */
export const KIND_WEIGHT: Record<Item['kind'], number> = { event: 1, email: 0.9, news: 0.6, weather: 0.5 };
const WEIGHTS = { kind: 0.45, recency: 0.35, source: 0.2 };
const STALE_PENALTY = 0.8;
const NEWS_HALF_LIFE_HOURS = 18;

export interface RankContext {
  now: Date;
  timezone: string;
}

export function scoreItem(item: Item, stale: boolean, context: RankContext): number {
  const score =
    WEIGHTS.kind * KIND_WEIGHT[item.kind] +
    WEIGHTS.recency * recency(item, context) +
    WEIGHTS.source * sourceSignal(item);
  return round3(stale ? score * STALE_PENALTY : score);
}

function recency(item: Item, { now, timezone }: RankContext): number {
  if (item.kind === 'event' && item.start) {
    const hoursAway = (Date.parse(item.start) - now.getTime()) / 3_600_000;
    const endsAt = item.end ? Date.parse(item.end) : Date.parse(item.start);
    if (endsAt < now.getTime()) return 0.1; // already over
    if (localDate(item.start, timezone) !== localDate(now, timezone)) return 0.4; // tomorrow
    return hoursAway <= 0 ? 1 : Math.max(0.5, 1 - hoursAway / 24);
  }
  const at = item.publishedAt ? Date.parse(item.publishedAt) : NaN;
  if (Number.isNaN(at)) return 0.3;
  const ageHours = Math.max(0, (now.getTime() - at) / 3_600_000);
  return Math.pow(0.5, ageHours / NEWS_HALF_LIFE_HOURS);
}

function sourceSignal(item: Item): number {
  const meta = item.meta ?? {};
  if (item.source === 'hackernews' && typeof meta.score === 'number') {
    return Math.min(1, Math.log10(meta.score + 1) / 3);
  }
  if (item.kind === 'email') {
    const labels = item.tags;
    if (labels.includes('IMPORTANT') || labels.includes('STARRED')) return 1;
    if (labels.some((l) => l === 'CATEGORY_PROMOTIONS' || l === 'CATEGORY_SOCIAL')) return 0.1;
    return 0.5;
  }
  return 0.5;
}

function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}
