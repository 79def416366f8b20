import type { LlmSettings } from '../../core/settings.ts';
import type { Brief } from '../../core/types.ts';
import type { HandleBook } from '../reasoner/handles.ts';
import { buildDigest, type Digest } from '../reasoner/prompts.ts';

/**
 * How the prompt tokens of one refresh are shared out, sized from the context the model really has
 * (`min(llm.contextTokens, the model's own)`). Ollama silently drops the start of a prompt that does
 * not fit (or answers 400, on some versions), so every request is cut to fit here, by the app.
 */

/** Share of the prompt budget for the items the writer sees; the rest is instructions, notes and reasoning. */
const WRITER_DIGEST_SHARE = 0.4;
const REASONER_DIGEST_SHARE = 0.1;
export const NOTES_SHARE = 0.12;
/** The writing call's system prompt and fixed lines around the blocks. */
const WRITER_FRAME_TOKENS = 800;
/** The look-up call's system prompt and the tool definitions, sent on every step. */
const REASONER_FRAME_TOKENS = 1100;
/** chars/4 is an estimate; a real tokenizer counts more on names, numbers and JSON. */
const ESTIMATE_MARGIN = 0.9;

/**
 * The context window, less the reply's room (the output cap, at most 30% of the window) and the estimate's
 * margin: no prompt may be larger.
 */
export function promptLimit(contextTokens: number, maxOutputTokens: number): number {
  const reply = Math.min(maxOutputTokens, Math.floor(contextTokens * 0.3));
  return Math.floor(contextTokens * ESTIMATE_MARGIN) - reply;
}

export interface DigestOptions {
  contextTokens: number;
  handles?: HandleBook;
}

/** The items the writer sees, best first, within its share of the budget and of the context. */
export function writerDigest(base: Brief, llm: LlmSettings, options?: DigestOptions): Digest {
  const context = options?.contextTokens ?? llm.contextTokens;
  const budget = Math.min(
    Math.floor(llm.promptBudgetTokens * WRITER_DIGEST_SHARE),
    promptLimit(context, llm.maxOutputTokens) - WRITER_FRAME_TOKENS,
  );
  return buildDigest(base.sections, {
    timezone: base.timezone,
    textChars: 240,
    budgetTokens: Math.max(100, budget),
    ...(options?.handles ? { handles: options.handles } : {}),
  });
}

/** Titles only, for the look-up loop's first message. */
export function reasonerDigest(base: Brief, llm: LlmSettings, options: DigestOptions): Digest {
  const budget = Math.min(
    Math.floor(llm.promptBudgetTokens * REASONER_DIGEST_SHARE),
    promptLimit(options.contextTokens, llm.maxOutputTokens) - REASONER_FRAME_TOKENS,
  );
  return buildDigest(base.sections, {
    timezone: base.timezone,
    textChars: 0,
    titlesOnly: true,
    budgetTokens: Math.max(50, budget),
    ...(options.handles ? { handles: options.handles } : {}),
  });
}

/** Tokens the look-up notes may take: their share, what the refresh has left, and what the context has left. */
export function notesBudget(llm: LlmSettings, contextTokens: number, spent: number, writerTokens: number): number {
  return Math.max(
    0,
    Math.min(
      Math.floor(llm.promptBudgetTokens * NOTES_SHARE),
      llm.promptBudgetTokens - spent - writerTokens,
      promptLimit(contextTokens, llm.maxOutputTokens) - writerTokens,
    ),
  );
}
