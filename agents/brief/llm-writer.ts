import { AIMessage, HumanMessage, SystemMessage, type BaseMessage } from '@langchain/core/messages';
import { describeError } from '../../core/errors.ts';
import type { Logger } from '../../core/log.ts';
import type { LlmSettings } from '../../core/settings.ts';
import type { Store } from '../../core/store/store.ts';
import type { Memory } from '../memory/memory.ts';
import type { Brief, ItemKind, ProgressEvent } from '../../core/types.ts';
import { callModel, emptyAnswerReason, truncatedReason, type CallResult } from '../llm/call.ts';
import { canThink, canUseTools, effectiveContext, readModelInfo, type ModelInfo } from '../llm/model-info.ts';
import { describeModel, type ModelSpec } from '../llm/models.ts';
import { ensureModel } from '../llm/preflight.ts';
import { createChatModel, jsonOutputOptions } from '../llm/providers.ts';
import { jsonAnswerTokens } from '../llm/reasoning.ts';
import { keepAliveFor } from '../llm/warm.ts';
import { runReasoner } from '../reasoner/graph.ts';
import { HandleBook } from '../reasoner/handles.ts';
import {
  estimateTokens,
  itemBlock,
  reasonerSystemPrompt,
  writerSystemPrompt,
  OPEN,
  CLOSE,
} from '../reasoner/prompts.ts';
import { addUsage, NO_USAGE, type Usage } from '../reasoner/state.ts';
import type { ToolContext } from '../reasoner/tools.ts';
import { InvalidOutputError, llmBriefJsonSchema, validateLlmBrief, type LlmBrief } from './llm-output.ts';
import { isNoToolsError, noToolsReason, prefetchedNotes } from './prefetch.ts';
import { notesBudget, promptLimit, reasonerDigest, writerDigest } from './writer-budget.ts';

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

/** The writing call's fixed lines around the blocks ("Items for …", "Write the brief as JSON now."). */
const FRAMING_TOKENS = 40;

function weatherBlock(base: Brief, handles: HandleBook): string {
  if (!base.weather) return '';
  const text = `${base.weather.summary} Advice: ${base.weather.advice.join(' ')}`.replace(/[⟦⟧]/g, '');
  const id = handles.handleFor(base.weather.itemId, 'weather');
  return `${OPEN}item id="${id}" kind="weather"${CLOSE}\ntext: ${text}\n${OPEN}/item${CLOSE}`;
}

/** What the server says the model can do; a server that cannot say is treated as before (tools, no think). */
async function modelInfo(spec: ModelSpec, digest: string | undefined, context: WriterContext): Promise<ModelInfo> {
  try {
    return await readModelInfo(spec, digest, context.signal);
  } catch (error) {
    context.log.warn(
      { model: describeModel(spec), reason: describeError(error) },
      'could not read what the model can do',
    );
    return {};
  }
}

/**
 * One model writes the brief: check it is installed and what it can do, let the reasoner look things
 * up (or, for a model without tools, hand it what the look-ups would have read), then write structured
 * JSON, validated; on an invalid or empty reply, one retry that says what was wrong. Throws when this
 * model cannot produce a valid brief, so the caller can try the next one.
 */
export async function writeWithModel(spec: ModelSpec, context: WriterContext): Promise<WriterResult> {
  const { llm, base } = context;
  const name = describeModel(spec);
  const installed = await ensureModel(spec, context.signal);
  const info = await modelInfo(spec, installed?.digest, context);
  const contextTokens = effectiveContext(llm.contextTokens, info);
  const limit = promptLimit(contextTokens, llm.maxOutputTokens);
  const { model, cancel } = await createChatModel(spec, {
    contextTokens,
    think: canThink(info),
    keepAlive: keepAliveFor(llm),
    maxOutputTokens: llm.maxOutputTokens,
  });
  const deadline = context.now() + llm.totalBudgetMs;
  const handles = new HandleBook();
  // The writer's items get the first handles, so the look-up loop and the writer call them alike.
  const digest = writerDigest(base, llm, { contextTokens, handles });
  const weather = weatherBlock(base, handles);
  const tools: ToolContext = {
    store: context.store,
    timezone: base.timezone,
    log: context.log,
    signal: context.signal,
    handles,
    ...(context.memory ? { memory: context.memory } : {}),
  };
  let usage: Usage = NO_USAGE;

  context.onProgress({ type: 'phase', phase: 'reason', at: new Date(context.now()).toISOString() });
  // What the writing call sends besides the look-up notes; the reply is not prompt, so it does not count here.
  const writerTokens =
    estimateTokens(writerSystemPrompt(base.date)) + digest.tokens + estimateTokens(weather) + FRAMING_TOKENS;
  // What the brief already found for today's meetings: kept whatever the look-ups do.
  const prepared = meetingNotes(base, context.store, handles);
  let notes: string[] = prepared.notes;
  let steps = 0;
  let stopReason: string | undefined;
  const withoutTools = (): void => {
    // The full texts first: the related items they repeat are dropped from the prepared notes.
    notes = distinctBlocks([...prefetchedNotes(base, tools), ...prepared.notes]);
    stopReason = noToolsReason(name);
    context.log.info({ model: name }, 'model has no tools: skipping look-ups, prefetched notes instead');
  };
  if (!canUseTools(info)) withoutTools();
  else {
    try {
      const titles = reasonerDigest(base, llm, { contextTokens, handles });
      const reasoned = await runReasoner(
        {
          model,
          cancel,
          modelName: name,
          tools,
          maxSteps: llm.maxSteps,
          timeoutMs: llm.timeoutMs,
          deadline,
          promptTokenBudget: Math.max(0, llm.promptBudgetTokens - writerTokens),
          promptLimit: limit,
          maxOutputTokens: llm.maxOutputTokens,
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
      notes = distinctBlocks([...prepared.notes, ...reasoned.notes]);
      steps = reasoned.steps;
      stopReason = reasoned.stopReason;
    } catch (error) {
      if (context.signal.aborted) throw error;
      // A server without capabilities in /api/show tells only now, with HTTP 400.
      if (isNoToolsError(error)) withoutTools();
      else {
        // A failed look-up round is not fatal: the writer still has the digest and the prepared notes.
        stopReason = `reasoning stopped: ${describeError(error)}`;
        context.log.warn({ model: name, reason: stopReason }, 'reasoner stopped early');
      }
    }
  }

  context.onProgress({ type: 'phase', phase: 'write', at: new Date(context.now()).toISOString() });
  // The notes get what the look-ups and the context left (at most their share), so the whole refresh
  // stays within llm.promptBudgetTokens and the request within the model's context.
  const noteText = fitBlocks(notes, notesBudget(llm, contextTokens, usage.promptTokens, writerTokens) * 4);
  const shown = new Set([
    ...digest.itemIds,
    ...(base.weather ? [base.weather.itemId] : []),
    ...idsIn(noteText).map((ref) => handles.idFor(ref) ?? ref),
  ]);
  const messages: BaseMessage[] = [
    new SystemMessage(writerSystemPrompt(base.date)),
    new HumanMessage(
      [
        `Items for ${base.date}, most important first within each kind:`,
        digest.text,
        weather,
        noteText ? `Details looked up before writing:\n${noteText}` : '',
        'Write the brief as JSON now.',
      ]
        .filter(Boolean)
        .join('\n\n'),
    ),
  ];
  const jsonOptions = jsonOutputOptions(spec, llmBriefJsonSchema);
  for (let attempt = 1; ; attempt++) {
    const remaining = deadline - context.now();
    const reply = await callModel(
      model,
      messages,
      {
        timeoutMs: Math.max(1, Math.min(llm.timeoutMs, remaining)),
        signal: context.signal,
        // Reasoning and any preamble stay out of the progress stream: only the JSON answer is shown.
        onToken: jsonAnswerTokens((text) => {
          context.onProgress({ type: 'llm-token', model: name, text });
        }),
        cancel,
      },
      jsonOptions,
    );
    usage = addUsage(usage, reply.usage);
    context.onUsage(reply.usage);
    try {
      // Cut off at the cap: whatever JSON it holds is unfinished, however it parses.
      if (reply.truncated) throw new InvalidOutputError(truncatedReason(reply, llm.maxOutputTokens));
      if (!reply.text) throw new InvalidOutputError(emptyAnswerReason(reply));
      const output = validateLlmBrief(reply.text, shown, handles);
      if (output.repairs) context.log.warn({ model: name, repairs: output.repairs }, 'kept the brief, repaired a part');
      const result: WriterResult = { output, model: name, usage, steps };
      if (stopReason) result.stopReason = stopReason;
      return result;
    } catch (error) {
      if (!(error instanceof InvalidOutputError) || attempt >= 2) {
        throw new InvalidOutputError(`${name} wrote an invalid brief: ${describeError(error)}`);
      }
      context.log.info({ model: name, problem: error.message }, 'invalid brief; retrying once');
      messages.push(...retryMessages(messages, reply, error.message, limit));
    }
  }
}

/**
 * The retry quotes the invalid reply when it fits the context; when it would not, only the error is
 * said, so the server never has to cut the prompt.
 */
function retryMessages(messages: BaseMessage[], reply: CallResult, problem: string, limit: number): BaseMessage[] {
  const ask = new HumanMessage(`That reply is invalid: ${problem}. Reply again with the corrected JSON only.`);
  const sent = messages.reduce((sum, m) => sum + estimateTokens(typeof m.content === 'string' ? m.content : ''), 0);
  // A cut-off reply is not quoted: it is mostly what went wrong (a loop, filler), and it filled the cap.
  if (reply.truncated) return [ask];
  const quoted = reply.text ? estimateTokens(reply.text) : 0;
  return reply.text && sent + quoted + estimateTokens(problem) + 30 <= limit ? [new AIMessage(reply.text), ask] : [ask];
}

/**
 * What the brief already found for today's meetings, as look-up notes: one plain line per meeting for
 * the reasoner (so it does not look the same things up again), and the related items as data blocks for
 * the writer, ahead of the reasoner's own notes so the budget cut keeps them.
 */
const ITEM_KINDS = new Set<string>(['email', 'event', 'news', 'weather']);

/** Each item's data block once: the first one given (look-ups and prepared notes can name the same item). */
function distinctBlocks(notes: string[]): string[] {
  const seen = new Set<string>();
  return notes.filter((note) => {
    const id = new RegExp(`^${OPEN}item id="([^"]+)"`).exec(note)?.[1];
    if (id === undefined) return true;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

export function meetingNotes(base: Brief, store: Store, handles: HandleBook): { summary: string; notes: string[] } {
  const lines: string[] = [];
  const notes: string[] = [];
  for (const event of base.sections.flatMap((s) => s.items)) {
    if (!event.related?.length) continue;
    const plain = (text: string): string => text.replace(/[⟦⟧]/g, '');
    // Items by handle, as everywhere in the prompt; a remembered brief or action keeps its own id.
    const ref = (r: { id: string; kind: string }): string =>
      ITEM_KINDS.has(r.kind) ? handles.handleFor(r.id, r.kind as ItemKind) : r.id;
    const list = event.related.map((r) => `${plain(r.title)} (${ref(r)}: ${plain(r.why)})`).join('; ');
    const line = `Before the meeting "${plain(event.title)}" (${handles.handleFor(event.id, event.kind)}): ${list}`;
    lines.push(line);
    notes.push(line);
    for (const related of event.related) {
      const item = store.getItem(related.id);
      if (item) {
        notes.push(
          itemBlock(item, { timezone: base.timezone, textChars: 400, handle: handles.handleFor(item.id, item.kind) }),
        );
      }
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
