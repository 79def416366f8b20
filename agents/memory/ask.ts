import { HumanMessage, SystemMessage } from '@langchain/core/messages';
import { z } from 'zod';
import { describeError } from '../../core/errors.ts';
import type { Logger } from '../../core/log.ts';
import type { LlmSettings } from '../../core/settings.ts';
import { localDate } from '../../core/time.ts';
import { callModel, truncatedReason } from '../llm/call.ts';
import { canThink, effectiveContext, readModelInfo, type ModelInfo } from '../llm/model-info.ts';
import { describeModel, modelChain, type ModelSpec } from '../llm/models.ts';
import { ensureModel } from '../llm/preflight.ts';
import { createChatModel, jsonOutputOptions } from '../llm/providers.ts';
import { CLOSE, DATA_RULES, OPEN } from '../reasoner/prompts.ts';
import type { Memory, MemoryHit } from './memory.ts';
import type { MemoryKind } from './types.ts';
import type { AskCitation, AskResult } from '../../core/types.ts';

export type { AskCitation, AskResult } from '../../core/types.ts';

export interface AskContext {
  memory: Memory;
  llm: LlmSettings;
  timezone: string;
  signal: AbortSignal;
  log: Logger;
}

const answerSchema = z.object({ answer: z.string().trim().min(1).max(3000), itemIds: z.array(z.string()).max(10) });
const answerJsonSchema = z.toJSONSchema(answerSchema) as Record<string, unknown>;
const MATCHES = 8;
const TEXT_CHARS = 600;

function block(hit: MemoryHit, timezone: string): string {
  const text = hit.document.replace(/[⟦⟧]/g, '').replace(/\s+/g, ' ').slice(0, TEXT_CHARS);
  const title = hit.title.replace(/[⟦⟧"\n]/g, ' ').slice(0, 200);
  return `${OPEN}item id="${hit.itemId}" kind="${hit.kind}" date="${localDate(new Date(hit.date), timezone)}"${CLOSE}\ntitle: ${title}\ntext: ${text}\n${OPEN}/item${CLOSE}`;
}

/** Where a remembered thing came from when no stored item says it (a brief, a vote, an item since pruned). */
const FROM_WORDS: Record<MemoryKind, string> = {
  email: 'Email',
  event: 'Calendar',
  news: 'News',
  weather: 'Weather',
  brief: 'Your brief',
  action: 'Your brief',
  feedback: 'Your votes',
};
/** Enough for the two lines a card shows. */
const SNIPPET_CHARS = 280;

/** A match as a card: title, where from, when, and a line or two of its text (plain, as it was stored). */
function citation(hit: MemoryHit): AskCitation {
  // Without a stored item's snippet, the remembered text after its first line (which is the title).
  const text = (hit.snippet ?? hit.document.split('\n').slice(1).join(' ')).replace(/\s+/g, ' ').trim();
  return {
    itemId: hit.itemId,
    kind: hit.kind,
    title: hit.title,
    ...(hit.url ? { url: hit.url } : {}),
    source: hit.from ?? FROM_WORDS[hit.kind],
    at: new Date(hit.date).toISOString(),
    snippet: text.length > SNIPPET_CHARS ? `${text.slice(0, SNIPPET_CHARS - 1).trimEnd()}…` : text,
  };
}

/** What the server says the model can do; a server that cannot say is treated as before (the setting, no think). */
async function modelInfo(spec: ModelSpec, digest: string | undefined, context: AskContext): Promise<ModelInfo> {
  try {
    return await readModelInfo(spec, digest, context.signal);
  } catch (error) {
    context.log.warn({ model: describeModel(spec), reason: describeError(error) }, 'ask: could not read the model');
    return {};
  }
}

/** Answers a question from memory with the first model that can, citing what it used; else lists the matches. */
export async function askMemory(question: string, context: AskContext): Promise<AskResult> {
  const hits = await context.memory.search(question, { limit: MATCHES }, context.signal);
  const cite = (ids: string[]): AskCitation[] =>
    ids.flatMap((id) => {
      const hit = hits.find((h) => h.itemId === id);
      return hit ? [citation(hit)] : [];
    });
  if (!hits.length) return { answer: 'Nothing in memory matches that yet.', citations: [], mode: 'search' };

  const reasons: string[] = [];
  for (const spec of modelChain(context.llm)) {
    try {
      const installed = await ensureModel(spec, context.signal);
      // As the writer does: no more context than the model has, and `think` only where it thinks.
      const info = await modelInfo(spec, installed?.digest, context);
      const { model, cancel } = await createChatModel(spec, {
        contextTokens: effectiveContext(context.llm.contextTokens, info),
        think: canThink(info),
        maxOutputTokens: context.llm.maxOutputTokens,
      });
      const reply = await callModel(
        model,
        [
          new SystemMessage(
            [
              'You answer the user’s question from their own remembered emails, events, news and briefs.',
              DATA_RULES,
              'Use only the blocks. If they do not answer the question, say so.',
              'Reply with JSON: {"answer": "...", "itemIds": [ids of the blocks you used]}.',
            ].join('\n'),
          ),
          new HumanMessage(`Question: ${question}\n\n${hits.map((h) => block(h, context.timezone)).join('\n')}`),
        ],
        { timeoutMs: context.llm.timeoutMs, signal: context.signal, cancel },
        jsonOutputOptions(spec, answerJsonSchema),
      );
      if (reply.truncated) throw new Error(truncatedReason(reply, context.llm.maxOutputTokens));
      const start = reply.text.indexOf('{');
      const parsed = answerSchema.safeParse(JSON.parse(reply.text.slice(start, reply.text.lastIndexOf('}') + 1)));
      if (!parsed.success) throw new Error('the answer is not in the expected JSON shape');
      const unknown = parsed.data.itemIds.filter((id) => !hits.some((h) => h.itemId === id));
      if (unknown.length) throw new Error(`the answer cites ids that were not given: ${unknown.join(', ')}`);
      return {
        answer: parsed.data.answer,
        citations: cite(parsed.data.itemIds),
        mode: 'llm',
        model: describeModel(spec),
        ...(reasons.length ? { fallbackReason: reasons.join('; ') } : {}),
      };
    } catch (error) {
      if (context.signal.aborted) throw error;
      reasons.push(`${describeModel(spec)}: ${describeError(error)}`);
      context.log.warn({ model: describeModel(spec), reason: describeError(error) }, 'ask: model failed');
    }
  }
  const top = hits.slice(0, 5);
  return {
    answer: [
      `No model could answer, so here are the closest matches for “${question}”:`,
      ...top.map((h, i) => `${i + 1}. ${h.title} (${localDate(new Date(h.date), context.timezone)})`),
    ].join('\n'),
    citations: cite(top.map((h) => h.itemId)),
    mode: 'search',
    ...(reasons.length ? { fallbackReason: reasons.join('; ') } : {}),
  };
}
