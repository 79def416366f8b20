import type { LlmSettings } from '../../core/settings.ts';
import { httpGetJson } from '../../core/http.ts';
import { modelChain, type ModelSpec } from './models.ts';

/** Beyond the LLM phase's own budget: the fetch phase the warm-up overlaps, and a margin. */
const KEEP_ALIVE_MARGIN_MS = 180_000;

/** How long Ollama keeps the model loaded after each request: the whole refresh, so it loads once. */
export function keepAliveFor(llm: LlmSettings): string {
  return `${Math.ceil((llm.totalBudgetMs + KEEP_ALIVE_MARGIN_MS) / 1000)}s`;
}

/** The model to warm: the primary, when it is served by Ollama (the only server that loads on demand here). */
export function warmableModel(llm: LlmSettings, env: NodeJS.ProcessEnv = process.env): ModelSpec | undefined {
  const primary = modelChain(llm, env)[0];
  return primary?.provider === 'ollama' ? primary : undefined;
}

/**
 * Loads the model without asking it anything (an /api/generate with no prompt, as `ollama run` does),
 * so a cold load of tens of seconds happens while sources are fetched, not inside the first call's
 * time limit. Resolves true once loaded; false on any failure: the real request reports real errors.
 */
export async function warmModel(
  spec: ModelSpec,
  keepAlive: string,
  signal: AbortSignal,
  timeoutMs: number,
): Promise<boolean> {
  try {
    await httpGetJson({
      url: `${spec.baseUrl}/api/generate`,
      json: { model: spec.model, keep_alive: keepAlive, stream: false },
      signal,
      timeoutMs,
      maxBytes: 64 * 1024,
    });
    return true;
  } catch {
    return false;
  }
}
