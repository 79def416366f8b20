import { z } from 'zod';
import { HandleBook } from '../reasoner/handles.ts';
import { BANNED_PHRASES } from '../reasoner/prompts.ts';

/** What the model must return. Validated with zod, then checked for citations and filler. */
const cited = z.object({
  text: z.string().trim().min(3).max(500),
  itemIds: z.array(z.string().min(1)).min(1).max(8),
});

export const llmBriefSchema = z.object({
  tldr: z.array(cited).min(1).max(3),
  summary: z.string().trim().min(20).max(2000),
  actionItems: z
    .array(cited.extend({ due: z.string().trim().max(80).nullable().optional() }))
    .max(12)
    .default([]),
  insights: z.array(cited).max(6).default([]),
  whyItMatters: z
    .array(z.object({ itemId: z.string().min(1), text: z.string().trim().min(3).max(300) }))
    .max(60)
    .default([]),
});

export type LlmBrief = z.infer<typeof llmBriefSchema>;

export const llmBriefJsonSchema = z.toJSONSchema(llmBriefSchema, { io: 'input' }) as Record<string, unknown>;

export class InvalidOutputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidOutputError';
  }
}

/** Model replies sometimes wrap JSON in a code fence or a sentence; take the outermost object. */
function extractJson(text: string): unknown {
  const start = text.indexOf('{');
  const end = text.lastIndexOf('}');
  if (start < 0 || end <= start) throw new InvalidOutputError('the reply contains no JSON object');
  try {
    return JSON.parse(text.slice(start, end + 1)) as unknown;
  } catch (error) {
    throw new InvalidOutputError(`the reply is not valid JSON (${(error as Error).message})`);
  }
}

export function countSentences(text: string): number {
  return (
    text
      .replace(/\b(?:e\.g|i\.e|vs|Mr|Mrs|Ms|Dr)\./gi, '')
      // "St.", "No.", "etc." end a sentence only when a capitalised word follows.
      .replace(/\b(?:St|No|etc)\.(?=\s+[a-z0-9])/g, '')
      .replace(/\d+\.\d+/g, '0')
      .split(/[.!?]+(?:\s+|$)/)
      .filter((s) => s.trim().length > 0).length
  );
}

/**
 * Parses and checks a reply: the schema, every citation naming one of the items shown (by handle or id,
 * mapped back to the item's id), a TLDR of three bullets when there are three items, a 4–6 sentence
 * summary, and none of the banned filler. Throws InvalidOutputError with a message the model can act
 * on when it retries.
 */
export function validateLlmBrief(
  text: string,
  allowedIds: ReadonlySet<string>,
  handles: HandleBook = new HandleBook(),
): LlmBrief {
  const parsed = llmBriefSchema.safeParse(extractJson(text));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InvalidOutputError(`field ${issue?.path.join('.') || '(top)'}: ${issue?.message ?? 'invalid'}`);
  }
  const unknown = new Set<string>();
  const resolve = (cited: string): string => {
    const found = handles.resolve(cited, allowedIds);
    if (!found) unknown.add(cited);
    return found?.id ?? cited;
  };
  const ids = (list: string[]) => [...new Set(list.map(resolve))];
  const brief: LlmBrief = {
    ...parsed.data,
    tldr: parsed.data.tldr.map((b) => ({ ...b, itemIds: ids(b.itemIds) })),
    actionItems: parsed.data.actionItems.map((a) => ({ ...a, itemIds: ids(a.itemIds) })),
    insights: parsed.data.insights.map((i) => ({ ...i, itemIds: ids(i.itemIds) })),
    whyItMatters: parsed.data.whyItMatters.map((w) => ({ ...w, itemId: resolve(w.itemId) })),
  };
  if (unknown.size) {
    throw new InvalidOutputError(`cites ids that are not in the input: ${[...unknown].slice(0, 5).join(', ')}`);
  }
  const wanted = Math.min(3, allowedIds.size);
  if (brief.tldr.length !== wanted) throw new InvalidOutputError(`tldr must have exactly ${wanted} bullets`);
  const sentences = countSentences(brief.summary);
  if (sentences < 4 || sentences > 6) {
    throw new InvalidOutputError(`summary must be 4 to 6 sentences, not ${sentences}`);
  }
  const texts = [brief.summary, ...brief.tldr, ...brief.actionItems, ...brief.insights, ...brief.whyItMatters].map(
    (t) => (typeof t === 'string' ? t : t.text).toLowerCase(),
  );
  const filler = BANNED_PHRASES.find((phrase) => texts.some((t) => t.includes(phrase)));
  if (filler) throw new InvalidOutputError(`uses the banned filler phrase "${filler}"`);
  return brief;
}
