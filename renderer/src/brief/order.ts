import type { Brief, BriefItem, BriefSection } from '../client/types.ts';

/** The page's order: the day's calendar, email, then news (market, then tech, then the rest). */
const SECTION_ORDER: BriefSection['kind'][] = ['calendar', 'email', 'market', 'tech', 'news'];

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

/**
 * What a vote does on screen before the app answers: a muted item goes, a liked one rises to the top of its
 * section, a disliked one sinks to the bottom. The app's own re-ranked brief replaces this when it arrives.
 */
export function applyVote(brief: Brief, itemId: string, action: 'up' | 'down' | 'mute' | 'undo'): Brief {
  return {
    ...brief,
    sections: brief.sections.map((section) => {
      const item = section.items.find((i) => i.id === itemId);
      if (!item) return section;
      const others = section.items.filter((i) => i.id !== itemId);
      if (action === 'mute') return { ...section, items: others };
      if (action === 'undo') {
        return { ...section, items: section.items.map((i) => (i.id === itemId ? { ...i, vote: undefined } : i)) };
      }
      const voted = { ...item, vote: action };
      return { ...section, items: action === 'up' ? [voted, ...others] : [...others, voted] };
    }),
  };
}
