import { z } from 'zod';
import { HandleBook } from '../reasoner/handles.ts';
import { BANNED_PHRASES } from '../reasoner/prompts.ts';
import { sentencesOf } from './sentences.ts';

/** What the model must return. Validated with zod, then checked for citations and filler. */
const cited = z.object({
  text: z.string().trim().min(3).max(500),
  itemIds: z.array(z.string().min(1)).min(1).max(8),
});

const SUMMARY_MIN_CHARS = 20;
const SUMMARY_MAX_CHARS = 2000;
const SUMMARY_MIN_SENTENCES = 4;
const SUMMARY_MAX_SENTENCES = 6;

const parts = {
  tldr: z.array(cited).min(1).max(3),
  actionItems: z
    .array(cited.extend({ due: z.string().trim().max(80).nullable().optional() }))
    .max(12)
    .default([]),
  insights: z.array(cited).max(6).default([]),
  whyItMatters: z
    .array(z.object({ itemId: z.string().min(1), text: z.string().trim().min(3).max(300) }))
    .max(60)
    .default([]),
};

/**
 * A checked brief, as kept and cached: the summary may be gone (dropped as the wrong length), and
 * `repairs` says, one line each, what was cut or dropped from the model's reply.
 */
export const llmBriefSchema = z.object({
  ...parts,
  summary: z.string().trim().min(SUMMARY_MIN_CHARS).max(SUMMARY_MAX_CHARS).optional(),
  repairs: z.array(z.string()).optional(),
});

export type LlmBrief = z.infer<typeof llmBriefSchema>;

/** What the model is asked for: a summary is required there, whatever is later done with a bad one. */
const replySchema = z.object({
  tldr: parts.tldr,
  summary: z.string().trim().min(SUMMARY_MIN_CHARS).max(SUMMARY_MAX_CHARS),
  actionItems: parts.actionItems,
  insights: parts.insights,
  whyItMatters: parts.whyItMatters,
});

/** How a reply is read: a summary of any length, so that one wrong part does not cost the rest. */
const replyParser = z.object({ ...parts, summary: z.string().trim().optional() });

export const llmBriefJsonSchema = z.toJSONSchema(replySchema, { io: 'input' }) as Record<string, unknown>;

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
 * The summary as it may be shown: 4–6 sentences, cut to the first 6 when longer, dropped when shorter,
 * missing, or too long in characters even so. The TL;DR and citations carry the brief; the summary is
 * prose on top, and one of the wrong length is no reason to lose them.
 */
function repairSummary(summary: string | undefined): { summary?: string; repair?: string } {
  if (!summary) return { repair: 'summary dropped: missing' };
  const count = countSentences(summary);
  if (count < SUMMARY_MIN_SENTENCES || summary.length < SUMMARY_MIN_CHARS) {
    return {
      repair: `summary dropped: ${count} sentence${count === 1 ? '' : 's'}, not ${SUMMARY_MIN_SENTENCES} to ${SUMMARY_MAX_SENTENCES}`,
    };
  }
  let kept = summary;
  let repair: string | undefined;
  if (count > SUMMARY_MAX_SENTENCES) {
    // Whole segments while the count the check uses stays within the limit: "Dr." or "4.25" never ends one.
    const pieces: string[] = [];
    for (const piece of sentencesOf(summary)) {
      if (countSentences([...pieces, piece].join(' ')) > SUMMARY_MAX_SENTENCES) break;
      pieces.push(piece);
    }
    kept = pieces.join(' ');
    repair = `summary cut from ${count} to ${SUMMARY_MAX_SENTENCES} sentences`;
  }
  if (kept.length > SUMMARY_MAX_CHARS)
    return { repair: `summary dropped: longer than ${SUMMARY_MAX_CHARS} characters` };
  return repair ? { summary: kept, repair } : { summary: kept };
}

/**
 * Parses and checks a reply: the schema, every citation naming one of the items shown (by handle or id,
 * mapped back to the item's id), a TLDR of three bullets when there are three items, and none of the
 * banned filler. Throws InvalidOutputError with a message the model can act on when it retries. A summary
 * of the wrong length is repaired or dropped instead (see `repairs`), never a reason to reject.
 */
export function validateLlmBrief(
  text: string,
  allowedIds: ReadonlySet<string>,
  handles: HandleBook = new HandleBook(),
): LlmBrief {
  const parsed = replyParser.safeParse(extractJson(text));
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
  const { summary, repair } = repairSummary(parsed.data.summary);
  const brief: LlmBrief = {
    ...(summary ? { summary } : {}),
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
  const texts = [
    brief.summary ?? '',
    ...brief.tldr,
    ...brief.actionItems,
    ...brief.insights,
    ...brief.whyItMatters,
  ].map((t) => (typeof t === 'string' ? t : t.text).toLowerCase());
  const filler = BANNED_PHRASES.find((phrase) => texts.some((t) => t.includes(phrase)));
  if (filler) throw new InvalidOutputError(`uses the banned filler phrase "${filler}"`);
  return repair ? { ...brief, repairs: [repair] } : brief;
}
