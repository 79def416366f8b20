import { z } from 'zod';
import { httpGetJson } from '../../core/http.ts';
import type { ModelSpec } from './models.ts';
import type { DescribedModel } from '../../core/types.ts';

/**
 * What a model can do, as Ollama's /api/show says. Asked before the first request so the app sends
 * each model only what it understands: no tools to a model without them (Ollama answers 400), `think`
 * only to a thinking model, and a context no larger than the model's own.
 */
export interface ModelInfo {
  /** completion, tools, thinking, vision, embedding, …; undefined when the server does not say (before 0.6.4). */
  capabilities?: string[];
  /** The model's own context length (`<architecture>.context_length` in model_info). */
  contextLength?: number;
}

const showSchema = z.object({
  capabilities: z.array(z.string()).optional(),
  model_info: z.record(z.string(), z.unknown()).optional(),
});

/** Keyed by server, model and digest: a re-pulled model (new digest) is asked again. */
const cache = new Map<string, ModelInfo>();

export async function readModelInfo(
  spec: ModelSpec,
  digest: string | undefined,
  signal: AbortSignal,
  timeoutMs = 5000,
): Promise<ModelInfo> {
  if (spec.provider !== 'ollama') return {};
  const key = `${spec.baseUrl}\n${spec.model}\n${digest ?? ''}`;
  const known = cache.get(key);
  if (known) return known;
  const body = showSchema.parse(
    await httpGetJson({
      url: `${spec.baseUrl}/api/show`,
      json: { model: spec.model },
      signal,
      timeoutMs,
      maxBytes: 4 * 1024 * 1024,
    }),
  );
  const info: ModelInfo = {};
  if (body.capabilities) info.capabilities = body.capabilities;
  const contextLength = contextLengthOf(body.model_info ?? {});
  if (contextLength) info.contextLength = contextLength;
  // Without a digest the answer could be stale after a pull, so it is not kept.
  if (digest) cache.set(key, info);
  return info;
}

function contextLengthOf(modelInfo: Record<string, unknown>): number | undefined {
  const arch = modelInfo['general.architecture'];
  const own = typeof arch === 'string' ? modelInfo[`${arch}.context_length`] : undefined;
  const any = Object.entries(modelInfo).find(([k, v]) => k.endsWith('.context_length') && typeof v === 'number')?.[1];
  const value = typeof own === 'number' ? own : any;
  return typeof value === 'number' && value > 0 ? value : undefined;
}

/** Unknown capabilities (an older server) count as able: the request itself then tells. */
export function canUseTools(info: ModelInfo): boolean {
  return info.capabilities?.includes('tools') ?? true;
}

export function canThink(info: ModelInfo): boolean {
  return info.capabilities?.includes('thinking') ?? false;
}

/** The context the app asks for: the setting, but never more than the model has. */
export function effectiveContext(setting: number, info: ModelInfo): number {
  return info.contextLength ? Math.min(setting, info.contextLength) : setting;
}

/** "qwen3:8b · tools · thinking · 40k context", for the model picker. */
export function describeCapabilities(model: string, info: ModelInfo): string {
  return [model, capabilityWords(info)].filter(Boolean).join(' · ');
}

/** "tools · thinking · 40k context" ("completion" goes without saying); empty when nothing is known. */
export function capabilityWords(info: ModelInfo): string {
  const shown = (info.capabilities ?? []).filter((c) => c !== 'completion');
  const context = info.contextLength ? [`${formatTokens(info.contextLength)} context`] : [];
  return [...shown, ...context].join(' · ');
}

export function formatTokens(tokens: number): string {
  if (tokens >= 1_000_000) return `${Math.round(tokens / 100_000) / 10}M`.replace('.0M', 'M');
  if (tokens >= 1000) return `${Math.round(tokens / 1024)}k`;
  return String(tokens);
}

/** For tests: forget what servers said. */
export function clearModelInfoCache(): void {
  cache.clear();
}

/** An installed model with what it can do, for the settings' model picker. */
export type { DescribedModel } from '../../core/types.ts';

/**
 * Each listed model with its capabilities, asked in parallel (answers are cached by digest, so the
 * picker costs one /api/tags after the first time). A model whose /api/show fails is listed by name.
 */
export async function describeModels(
  spec: ModelSpec,
  models: { name: string; size?: number; digest?: string }[],
  signal: AbortSignal,
  timeoutMs: number,
): Promise<DescribedModel[]> {
  return Promise.all(
    models.map(async (m) => {
      const info = await readModelInfo({ ...spec, model: m.name }, m.digest, signal, timeoutMs).catch(() => ({}));
      return {
        name: m.name,
        ...(m.size === undefined ? {} : { size: m.size }),
        ...info,
        label: describeCapabilities(m.name, info),
      };
    }),
  );
}

/** Said by doctor when the setting asks for more context than the model has; undefined when it fits. */
export function contextTooLarge(setting: number, model: string, info: ModelInfo): string | undefined {
  if (!info.contextLength || setting <= info.contextLength) return undefined;
  return `llm.contextTokens is ${setting}, but ${model} takes at most ${info.contextLength} tokens: briefs use ${info.contextLength}`;
}
