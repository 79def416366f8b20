import type { BriefItem, BriefSection, SectionKind, TldrBullet } from '../../core/types.ts';
import { calendarSentence, emailSentence, newsSentence } from './sentences.ts';

/** The TL;DR draws from these, in this order of priority. */
export const TLDR_ORDER: SectionKind[] = ['email', 'calendar', 'market', 'tech', 'news'];
const TLDR_MAX = 3;

/**
 * Three short sentences, one per kind first (email, calendar, markets, tech, news), then round again
 * while there is room. Nothing an earlier brief already showed unchanged: a repeat is never a lead.
 */
export function buildTldr(sections: BriefSection[], now: Date, timezone: string): TldrBullet[] {
  const byKind = new Map(sections.map((s) => [s.kind, s]));
  const queues = TLDR_ORDER.map((kind) => ({
    kind,
    items: (byKind.get(kind)?.items ?? []).filter((i) => !i.firstShownOn),
  }));
  const bullets: TldrBullet[] = [];
  for (let round = 0; bullets.length < TLDR_MAX && queues.some((q) => q.items.length); round++) {
    for (const queue of queues) {
      if (bullets.length >= TLDR_MAX) break;
      if (queue.kind === 'calendar') {
        // The whole day in one sentence, once.
        const bullet = round === 0 ? calendarSentence(queue.items, now, timezone) : null;
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

function bulletText(kind: SectionKind, item: BriefItem): string {
  const text = kind === 'email' ? emailSentence(item) : newsSentence(item);
  return item.updated && item.change ? `Update (${item.change}): ${text}` : text;
}
