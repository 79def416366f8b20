import type { Brief, BriefItem, BriefSection } from '../client/types.ts';

/** The page's order: important email, the calendar, then news (market, then tech, then the rest). */
const SECTION_ORDER: BriefSection['kind'][] = ['email', 'calendar', 'market', 'tech', 'news'];

export function orderedSections(brief: Brief): BriefSection[] {
  return [...brief.sections]
    .filter((section) => section.items.length > 0)
    .sort((a, b) => SECTION_ORDER.indexOf(a.kind) - SECTION_ORDER.indexOf(b.kind));
}

/** Every item in the order the page shows them (what j/k walk through). */
export function itemsInOrder(brief: Brief): BriefItem[] {
  return orderedSections(brief).flatMap((section) => section.items);
}

/** Items of `brief` that the earlier brief did not have ("new since yesterday"). */
export function newSince(brief: Brief, earlier: Brief | null): BriefItem[] {
  if (!earlier) return [];
  const seen = new Set(itemsInOrder(earlier).map((item) => item.id));
  return itemsInOrder(brief).filter((item) => !seen.has(item.id));
}
