import type { Brief, BriefItem, Item, TldrBullet } from '../../core/types.ts';
import { buildSections } from '../brief/extractive.ts';
import type { RepeatMark } from '../brief/repeats.ts';
import { buildTldr } from '../brief/tldr.ts';
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
  // The story this brief explored keeps its place, or none once it is voted on: a vote does not swap it.
  const explored = brief.sections.flatMap((s) => s.items).find((i) => i.explored)?.id;
  const { ranked, muted } = rankCandidates(pool, model, context, vectors, explored ? { explored } : {});
  const previous = new Map(brief.sections.flatMap((s) => s.items.map((i) => [i.id, i])));
  // What the refresh learnt from earlier briefs stays with the items: a vote does not make a repeat new.
  const withMarks = asRankedItems(ranked).map((entry) => {
    const repeat = repeatOf(previous.get(entry.item.id));
    return repeat ? { ...entry, repeat } : entry;
  });
  const sections = buildSections(withMarks, now, brief.timezone, vectors ? { vectors } : {}).map((section) => ({
    ...section,
    items: section.items.map((item) => keepWritten(item, previous.get(item.id))),
  }));
  const gone = new Set(muted.map((m) => m.itemId));
  const out: Brief = { ...brief, sections };
  if (brief.generator.mode === 'extractive') out.tldr = buildTldr(sections, now, brief.timezone);
  else out.tldr = withoutMuted(brief.tldr, gone);
  if (brief.actionItems) out.actionItems = withoutMuted(brief.actionItems, gone);
  if (brief.insights) out.insights = withoutMuted(brief.insights, gone);
  return out;
}

/** The model's why-line and the meeting's prepared items were written for the item, not its rank. */
function keepWritten(item: BriefItem, before: BriefItem | undefined): BriefItem {
  const out = before?.why ? { ...item, why: before.why } : item;
  return before?.related ? { ...out, related: before.related } : out;
}

function repeatOf(item: BriefItem | undefined): RepeatMark | undefined {
  if (item?.firstShownOn) return { firstShownOn: item.firstShownOn };
  if (item?.updated) return item.change ? { updated: true, change: item.change } : { updated: true };
  return undefined;
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
