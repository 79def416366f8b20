import { HandleBook } from '../../agents/reasoner/handles.ts';
import { estimateTokens } from '../../agents/reasoner/prompts.ts';
import { MISTAKES, miscopy, type Mistake } from '../../test/fakes/sloppy-citations.ts';
import type { Random } from './random.ts';

export interface Outcome {
  recovered: number;
  rejected: number;
  /** Resolved, but to another item: the worst outcome, a wrong source shown to the user. */
  misattributed: number;
  /** The mistake left the text as it was (a handle has no case to get wrong in its digits). */
  unchanged: number;
}

/**
 * Each shown citation, copied with each mistake at a random place, resolved as the validator does:
 * once as handles (what the model now sees) and once as the items' own ids (what it saw before).
 */
export function sloppyOutcomes(
  handles: HandleBook,
  shownIds: string[],
  rng: Random,
  tries = 3,
): { handles: Map<Mistake, Outcome>; ids: Map<Mistake, Outcome> } {
  const shown = new Set(shownIds);
  const ids = new HandleBook();
  const tally = (asCited: (id: string) => string, book: HandleBook): Map<Mistake, Outcome> => {
    const out = new Map<Mistake, Outcome>();
    for (const mistake of MISTAKES) {
      const o: Outcome = { recovered: 0, rejected: 0, misattributed: 0, unchanged: 0 };
      for (const id of shownIds) {
        for (let n = 0; n < tries; n++) {
          const original = asCited(id);
          const copy = miscopy(original, mistake, rng.random());
          if (copy === original) {
            o.unchanged++;
            continue;
          }
          const found = book.resolve(copy, shown);
          if (!found) o.rejected++;
          else if (found.id === id) o.recovered++;
          else o.misattributed++;
        }
      }
      out.set(mistake, o);
    }
    return out;
  };
  return {
    handles: tally((id) => handles.handleOf(id) ?? id, handles),
    ids: tally((id) => id, ids),
  };
}

export function formatOutcome(o: Outcome): string {
  const total = o.recovered + o.rejected + o.misattributed;
  const pct = (n: number) => (total ? `${((100 * n) / total).toFixed(0)}%` : '-');
  return `recovered ${pct(o.recovered)}, rejected ${pct(o.rejected)}, misattributed ${pct(o.misattributed)} of ${total}`;
}

/** The text with every handle replaced by its item's id: the same request as the app sent before handles. */
export function withIds(text: string, handles: HandleBook): string {
  return text.replace(/\b[ECNW]\d{2,}\b/g, (h) => handles.idFor(h) ?? h);
}

export function tokens(text: string): number {
  return estimateTokens(text);
}
