import { AIMessage, HumanMessage, SystemMessage, type BaseMessage } from '@langchain/core/messages';
import { describeError } from '../../core/errors.ts';
import type { Logger } from '../../core/log.ts';
import type { LlmSettings } from '../../core/settings.ts';
import type { Store } from '../../core/store/store.ts';
import type { Memory } from '../memory/memory.ts';
import type { Brief, ProgressEvent } from '../../core/types.ts';
import { callModel } from '../llm/call.ts';
import { describeModel, type ModelSpec } from '../llm/models.ts';
import { ensureModel } from '../llm/preflight.ts';
import { createChatModel, jsonOutputOptions } from '../llm/providers.ts';
import { runReasoner } from '../reasoner/graph.ts';
import {
  buildDigest,
  estimateTokens,
  itemBlock,
  reasonerSystemPrompt,
  writerSystemPrompt,
  OPEN,
  CLOSE,
  type Digest,
} from '../reasoner/prompts.ts';
import { addUsage, NO_USAGE, type Usage } from '../reasoner/state.ts';
import { InvalidOutputError, llmBriefJsonSchema, validateLlmBrief, type LlmBrief } from './llm-output.ts';

export interface WriterContext {
  base: Brief;
  llm: LlmSettings;
  store: Store;
  signal: AbortSignal;
  now: () => number;
  log: Logger;
  onProgress: (event: ProgressEvent) => void;
  memory?: Memory;
  /** Every call's usage as it happens, so failed attempts are counted too. */
  onUsage: (usage: Usage) => void;
}

export interface WriterResult {
  output: LlmBrief;
  model: string;
  usage: Usage;
  steps: number;
  stopReason?: string;
}

/** Share of the prompt budget for the items the writer sees; the rest is instructions, notes and reasoning. */
const WRITER_DIGEST_SHARE = 0.4;
const REASONER_DIGEST_SHARE = 0.1;
const NOTES_SHARE = 0.12;
/** The writing call's fixed lines around the blocks ("Items for …", "Write the brief as JSON now."). */
const FRAMING_TOKENS = 40;
/** Tokens kept free in the context window for the model's reply. */
const REPLY_RESERVE = 1500;

export function writerDigest(base: Brief, llm: LlmSettings): Digest {
  const budget = Math.min(
    Math.floor(llm.promptBudgetTokens * WRITER_DIGEST_SHARE),
    llm.contextTokens - REPLY_RESERVE - 800,
  );
  return buildDigest(base.sections, { timezone: base.timezone, textChars: 240, budgetTokens: Math.max(200, budget) });
}

function weatherBlock(base: Brief): string {
  if (!base.weather) return '';
  const text = `${base.weather.summary} Advice: ${base.weather.advice.join(' ')}`.replace(/[⟦⟧]/g, '');
  return `${OPEN}item id="${base.weather.itemId}" kind="weather"${CLOSE}\ntext: ${text}\n${OPEN}/item${CLOSE}`;
}

/**
 * One model writes the brief: check it is installed, let the reasoner look things up, then write
 * structured JSON, validated; on an invalid reply, one retry that quotes the error. Throws when this
 * model cannot produce a valid brief, so the caller can try the next one.
 */
export async function writeWithModel(spec: ModelSpec, context: WriterContext, digest: Digest): Promise<WriterResult> {
  const { llm, base } = context;
  const name = describeModel(spec);
  await ensureModel(spec, context.signal);
  const { model, cancel } = await createChatModel(spec, { contextTokens: llm.contextTokens });
  const deadline = context.now() + llm.totalBudgetMs;
  let usage: Usage = NO_USAGE;

  context.onProgress({ type: 'phase', phase: 'reason', at: new Date(context.now()).toISOString() });
  const titles = buildDigest(base.sections, {
    timezone: base.timezone,
    textChars: 0,
    titlesOnly: true,
    budgetTokens: Math.floor(llm.promptBudgetTokens * REASONER_DIGEST_SHARE),
  });
  // What the writing call sends besides the look-up notes (instructions, digest, weather, framing);
  // the reply is not prompt, so it does not count here.
  const writerTokens =
    estimateTokens(writerSystemPrompt(base.date)) + digest.tokens + estimateTokens(weatherBlock(base)) + FRAMING_TOKENS;
  const prepared = meetingNotes(base, context.store);
  let notes: string[];
  let steps = 0;
  let stopReason: string | undefined;
  try {
    const reasoned = await runReasoner(
      {
        model,
        cancel,
        modelName: name,
        tools: {
          store: context.store,
          timezone: base.timezone,
          log: context.log,
          signal: context.signal,
          ...(context.memory ? { memory: context.memory } : {}),
        },
        maxSteps: llm.maxSteps,
        timeoutMs: llm.timeoutMs,
        deadline,
        promptTokenBudget: Math.max(0, llm.promptBudgetTokens - writerTokens),
        contextTokens: llm.contextTokens,
        signal: context.signal,
        now: context.now,
        log: context.log,
        onProgress: context.onProgress,
      },
      [
        new SystemMessage(reasonerSystemPrompt(base.date, llm.maxSteps)),
        new HumanMessage(
          [`Today's items, most important first:\n${titles.text}`, prepared.summary].filter(Boolean).join('\n\n'),
        ),
      ],
    );
    usage = addUsage(usage, reasoned.usage);
    context.onUsage(reasoned.usage);
    notes = [...prepared.notes, ...reasoned.notes];
    steps = reasoned.steps;
    stopReason = reasoned.stopReason;
  } catch (error) {
    // A failed look-up round is not fatal: the writer still has the digest and the prepared notes.
    notes = prepared.notes;
    stopReason = `reasoning stopped: ${describeError(error)}`;
    context.log.warn({ model: name, reason: stopReason }, 'reasoner stopped early');
  }

  context.onProgress({ type: 'phase', phase: 'write', at: new Date(context.now()).toISOString() });
  // The notes get what the look-ups left of the budget (at most their share), so the whole refresh
  // stays within llm.promptBudgetTokens whatever the reasoning spent.
  const notesTokens = Math.max(
    0,
    Math.min(
      Math.floor(llm.promptBudgetTokens * NOTES_SHARE),
      llm.promptBudgetTokens - usage.promptTokens - writerTokens,
    ),
  );
  const noteText = fitBlocks(notes, notesTokens * 4);
  const allowed = new Set([...digest.itemIds, ...(base.weather ? [base.weather.itemId] : []), ...idsIn(noteText)]);
  const messages: BaseMessage[] = [
    new SystemMessage(writerSystemPrompt(base.date)),
    new HumanMessage(
      [
        `Items for ${base.date}, most important first within each kind:`,
        digest.text,
        weatherBlock(base),
        noteText ? `Details looked up before writing:\n${noteText}` : '',
        'Write the brief as JSON now.',
      ]
        .filter(Boolean)
        .join('\n\n'),
    ),
  ];
  const jsonOptions = jsonOutputOptions(spec, llmBriefJsonSchema);
  const onToken = (text: string): void => {
    context.onProgress({ type: 'llm-token', model: name, text });
  };
  for (let attempt = 1; ; attempt++) {
    const remaining = deadline - context.now();
    const reply = await callModel(
      model,
      messages,
      { timeoutMs: Math.max(1, Math.min(llm.timeoutMs, remaining)), signal: context.signal, onToken, cancel },
      jsonOptions,
    );
    usage = addUsage(usage, reply.usage);
    context.onUsage(reply.usage);
    try {
      const output = validateLlmBrief(reply.text, allowed);
      const result: WriterResult = { output, model: name, usage, steps };
      if (stopReason) result.stopReason = stopReason;
      return result;
    } catch (error) {
      if (!(error instanceof InvalidOutputError) || attempt >= 2) {
        throw new InvalidOutputError(`${name} wrote an invalid brief: ${describeError(error)}`);
      }
      context.log.info({ model: name, problem: error.message }, 'invalid brief; retrying once');
      messages.push(
        new AIMessage(reply.text),
        new HumanMessage(`That reply is invalid: ${error.message}. Reply again with the corrected JSON only.`),
      );
    }
  }
}

/**
 * What the brief already found for today's meetings, as look-up notes: one plain line per meeting for
 * the reasoner (so it does not look the same things up again), and the related items as data blocks for
 * the writer, ahead of the reasoner's own notes so the budget cut keeps them.
 */
export function meetingNotes(base: Brief, store: Store): { summary: string; notes: string[] } {
  const lines: string[] = [];
  const notes: string[] = [];
  for (const event of base.sections.flatMap((s) => s.items)) {
    if (!event.related?.length) continue;
    const plain = (text: string): string => text.replace(/[⟦⟧]/g, '');
    const list = event.related.map((r) => `${plain(r.title)} (${r.id}: ${plain(r.why)})`).join('; ');
    const line = `Before the meeting "${plain(event.title)}" (${event.id}): ${list}`;
    lines.push(line);
    notes.push(line);
    for (const related of event.related) {
      const item = store.getItem(related.id);
      if (item) notes.push(itemBlock(item, { timezone: base.timezone, textChars: 400 }));
    }
  }
  return { summary: lines.length ? `Already prepared for today's meetings:\n${lines.join('\n')}` : '', notes };
}

/**
 * Look-up results cut to a size, only ever between whole data blocks: a block cut in half would
 * leave untrusted text outside any block.
 */
export function fitBlocks(notes: string[], maxChars: number): string {
  const pieces = notes.flatMap((note) => note.split(/(?<=⟦\/item⟧)\n/));
  const kept: string[] = [];
  let size = 0;
  for (const piece of pieces) {
    const whole = piece.startsWith('⟦item ') ? piece.endsWith('⟦/item⟧') : !piece.includes('⟦');
    if (!whole || size + piece.length + 1 > maxChars) continue;
    kept.push(piece);
    size += piece.length + 1;
  }
  return kept.join('\n');
}

function idsIn(text: string): string[] {
  return [...text.matchAll(/⟦item id="([^"]+)"/g)].map((m) => m[1] ?? '').filter(Boolean);
}
