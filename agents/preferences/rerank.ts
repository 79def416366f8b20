import type { Brief, BriefItem, Item, TldrBullet } from '../../core/types.ts';
import { buildSections, buildTldr } from '../brief/extractive.ts';
import { asRankedItems, rankCandidates, type Candidate } from '../ranking/personal.ts';
import type { PreferenceModel } from './model.ts';

/**
 * A brief re-ordered by the current preferences, with no model call and no fetch: the same candidates,
 * the same baseline scores, new preference lifts and mutes. The model's words (summary, TLDR, why-lines)
 * stay, except where they cite only items that are now muted.
 */
export function rerankBrief(
  brief: Brief,
  candidates: Candidate[],
  model: PreferenceModel,
  vectors?: (itemId: string) => number[] | undefined,
): Brief {
  // The brief is of its moment: "today's meeting" and "recent news" are judged as when it was written.
  const now = new Date(brief.generatedAt);
  const context = { now, timezone: brief.timezone };
  const pool = candidates.length ? candidates : fromBrief(brief);
  const { ranked, muted } = rankCandidates(pool, model, context, vectors);
  const previous = new Map(brief.sections.flatMap((s) => s.items.map((i) => [i.id, i])));
  const sections = buildSections(asRankedItems(ranked), now, brief.timezone).map((section) => ({
    ...section,
    items: section.items.map((item) => keepWhy(item, previous.get(item.id))),
  }));
  const gone = new Set(muted.map((m) => m.itemId));
  const out: Brief = { ...brief, sections };
  if (brief.generator.mode === 'extractive') out.tldr = buildTldr(sections, now, brief.timezone);
  else out.tldr = withoutMuted(brief.tldr, gone);
  if (brief.actionItems) out.actionItems = withoutMuted(brief.actionItems, gone);
  if (brief.insights) out.insights = withoutMuted(brief.insights, gone);
  return out;
}

function keepWhy(item: BriefItem, before: BriefItem | undefined): BriefItem {
  return before?.why ? { ...item, why: before.why } : item;
}

function withoutMuted<T extends Pick<TldrBullet, 'itemIds'>>(list: T[], gone: Set<string>): T[] {
  return list
    .map((entry) => ({ ...entry, itemIds: entry.itemIds.filter((id) => !gone.has(id)) }))
    .filter((entry) => entry.itemIds.length > 0);
}

/** Briefs written before candidates were kept: re-rank what the brief itself shows. */
function fromBrief(brief: Brief): Candidate[] {
  return brief.sections.flatMap((s) =>
    s.items.map((i) => {
      const item: Item = { ...i, tags: [] };
      return { item, base: i.score, stale: i.stale ?? false };
    }),
  );
}
