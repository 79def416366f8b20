import { createHash } from 'node:crypto';
import { describeError } from '../../core/errors.ts';
import type { Brief, BriefItem, TldrBullet } from '../../core/types.ts';
import { describeModel, modelChain } from '../llm/models.ts';
import { PROMPT_VERSION } from '../reasoner/prompts.ts';
import { addUsage, NO_USAGE, type Usage } from '../reasoner/state.ts';
import type { LlmSettings } from '../../core/settings.ts';
import type { Store } from '../../core/store/store.ts';
import { sectionOf } from './extractive.ts';
import { groundBrief, itemSourceText, type SourceText } from './grounding.ts';
import { llmBriefSchema, type LlmBrief } from './llm-output.ts';
import { writeWithModel, type WriterContext } from './llm-writer.ts';
import { writerDigest } from './writer-budget.ts';

const CACHE_KEY = 'llm-output';
const TLDR_PRIORITY = ['email', 'calendar', 'market', 'tech', 'news'];

interface CachedOutput {
  key: string;
  model: string;
  steps: number;
  output: LlmBrief;
  /** What the key was made of, short of the items: whether a brief for this day may come from here. */
  scope?: string;
}

/** The part of the cache key known before the items are: prompt version, model chain, the day. */
function cacheScope(llm: LlmSettings, date: string): string {
  return JSON.stringify([PROMPT_VERSION, modelChain(llm).map(describeModel), date]);
}

/**
 * Whether today's brief may come from the output cache: a model brief for this day and chain is kept. Asked
 * before fetching; only a refresh whose items then turn out unchanged reuses it (the full key decides).
 */
export function mayReuseOutput(store: Store, llm: LlmSettings, date: string): boolean {
  const entry = store.getValue(CACHE_KEY);
  return typeof entry === 'object' && entry !== null && (entry as CachedOutput).scope === cacheScope(llm, date);
}

/**
 * The LLM layer over an extractive brief: each model in the chain in turn, and the extractive brief
 * itself as the last resort. It never throws: whatever happens, a brief comes out, and
 * `generator.fallbackReason` says why it is not the primary model's.
 */
export async function writeLlmBrief(base: Brief, context: Omit<WriterContext, 'onUsage'>): Promise<Brief> {
  const chain = modelChain(context.llm);
  if (!chain.length) return base;
  const started = context.now();
  // Only to key the cache: each model gets its own digest, sized to its context.
  const digest = writerDigest(base, context.llm);
  const key = createHash('sha256')
    .update(JSON.stringify([PROMPT_VERSION, chain.map(describeModel), base.date, digest.text, base.weather?.summary]))
    .digest('hex');

  const cached = readCache(context.store.getValue(CACHE_KEY), key);
  if (cached) {
    context.log.info({ model: cached.model }, 'inputs unchanged: reusing the last model output');
    return merge(base, cached.output, grounding(base, context.store), {
      model: cached.model,
      usage: NO_USAGE,
      durationMs: 0,
      steps: cached.steps,
      cached: true,
    });
  }

  let usage: Usage = NO_USAGE;
  const reasons: string[] = [];
  for (const spec of chain) {
    const name = describeModel(spec);
    try {
      const result = await writeWithModel(spec, {
        ...context,
        onUsage: (u) => {
          usage = addUsage(usage, u);
        },
      });
      const entry: CachedOutput = {
        key,
        model: result.model,
        steps: result.steps,
        output: result.output,
        scope: cacheScope(context.llm, base.date),
      };
      const stop = result.stopReason ? { stopReason: result.stopReason } : {};
      context.store.putValue(CACHE_KEY, entry, new Date(context.now()).toISOString());
      return merge(base, result.output, grounding(base, context.store), {
        model: result.model,
        usage,
        durationMs: context.now() - started,
        steps: result.steps,
        ...stop,
        ...(reasons.length ? { fallbackReason: reasons.join('; ') } : {}),
      });
    } catch (error) {
      if (context.signal.aborted) throw error;
      const reason = `${name}: ${describeError(error)}`;
      reasons.push(reason);
      context.log.warn({ model: name, reason: describeError(error) }, 'model failed; trying the next');
      context.onProgress({ type: 'llm-fallback', model: name, reason, at: new Date(context.now()).toISOString() });
    }
  }
  return {
    ...base,
    generator: {
      ...base.generator,
      llmCalls: usage.calls,
      promptTokens: usage.promptTokens,
      completionTokens: usage.completionTokens,
      durationMs: context.now() - started,
      fallbackReason: `${reasons.join('; ')}; wrote the extractive brief instead`,
    },
  };
}

function readCache(value: unknown, key: string): CachedOutput | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const entry = value as Partial<CachedOutput>;
  if (entry.key !== key || typeof entry.model !== 'string') return undefined;
  const output = llmBriefSchema.safeParse(entry.output);
  return output.success ? { key, model: entry.model, steps: entry.steps ?? 0, output: output.data } : undefined;
}

interface MergeMeta {
  model: string;
  usage: Usage;
  durationMs: number;
  steps: number;
  cached?: boolean;
  stopReason?: string;
  fallbackReason?: string;
}

interface Grounding {
  source: SourceText;
  candidates: string[];
}

/** What a line may rest on: the brief's items (full text from the store), what was prepared for meetings, the weather. */
function grounding(base: Brief, store: Store): Grounding {
  const shown = new Map<string, BriefItem>(base.sections.flatMap((s) => s.items.map((i) => [i.id, i])));
  const related = base.sections.flatMap((s) => s.items.flatMap((i) => (i.related ?? []).map((r) => r.id)));
  const candidates = [...new Set([...shown.keys(), ...related, ...(base.weather ? [base.weather.itemId] : [])])];
  const source: SourceText = (id) => {
    if (base.weather?.itemId === id)
      return `${base.weather.location} ${base.weather.summary} ${base.weather.advice.join(' ')}`;
    const item = store.getItem(id) ?? shown.get(id);
    return item ? itemSourceText(item, base.timezone) : undefined;
  };
  return { source, candidates };
}

/** The model's words on top of the extractive brief's structure (sections, weather, sources stay). */
function merge(base: Brief, raw: LlmBrief, ground: Grounding, meta: MergeMeta): Brief {
  // Only what the cited items say: unsupported lines are re-cited or dropped before anything is shown.
  const { output, stats } = groundBrief(raw, ground.source, ground.candidates);
  const items = new Map<string, BriefItem>(base.sections.flatMap((s) => s.items.map((i) => [i.id, i])));
  const rank = (bullet: TldrBullet): number => {
    const first = items.get(bullet.itemIds[0] ?? '');
    const section = first ? sectionOf(first) : null;
    return section ? TLDR_PRIORITY.indexOf(section) : TLDR_PRIORITY.length;
  };
  // The order is part of the contract (email, calendar, market, tech), so it is enforced, not hoped for.
  const tldr = output.tldr.map((b, i) => ({ b, i })).sort((x, y) => rank(x.b) - rank(y.b) || x.i - y.i);
  const why = new Map(output.whyItMatters.map((w) => [w.itemId, w.text]));
  return {
    ...base,
    // A TL;DR the check emptied is worse than the extractive one.
    tldr: tldr.length ? tldr.map(({ b }) => ({ text: b.text, itemIds: b.itemIds })) : base.tldr,
    ...(output.summary ? { summary: output.summary } : {}),
    actionItems: output.actionItems.map((a) => ({ text: a.text, itemIds: a.itemIds, due: a.due ?? null })),
    insights: output.insights.map((i) => ({ text: i.text, itemIds: i.itemIds })),
    sections: base.sections.map((s) => ({
      ...s,
      items: s.items.map((i) => {
        const line = why.get(i.id);
        return line ? { ...i, why: line } : i;
      }),
    })),
    generator: {
      mode: 'llm',
      model: meta.model,
      llmCalls: meta.usage.calls,
      promptTokens: meta.usage.promptTokens,
      completionTokens: meta.usage.completionTokens,
      durationMs: meta.durationMs,
      steps: meta.steps,
      ...(meta.cached ? { cached: true } : {}),
      ...(meta.stopReason ? { stopReason: meta.stopReason } : {}),
      ...(meta.fallbackReason ? { fallbackReason: meta.fallbackReason } : {}),
      unsupportedLines: stats,
      ...(raw.repairs?.length ? { repairs: raw.repairs } : {}),
    },
  };
}
