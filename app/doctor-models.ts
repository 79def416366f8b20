// Doctor's model checks: each server reachable, each model installed and able to write a brief.
import { z } from 'zod';
import { hasModel, listModels } from '../agents/llm/preflight.ts';
import {
  canUseTools,
  contextTooLarge,
  capabilityWords,
  readModelInfo,
  type ModelInfo,
} from '../agents/llm/model-info.ts';
import { modelChain, ollamaBaseUrl, type ModelSpec } from '../agents/llm/models.ts';
import { AppError, describeError } from '../core/errors.ts';
import { httpGetJson } from '../core/http.ts';
import type { Settings } from '../core/settings.ts';
import type { DoctorCheck } from '../contract/results.ts';

/** What a model server answered: its version and installed models, or why it did not. */
interface ServerProbe {
  version?: string;
  installed?: string[];
  error?: unknown;
}

const versionSchema = z.object({ version: z.string() });

/** Version and model list in parallel, each bounded by the timeout, so a dead server costs one timeout at most. */
async function probeServer(spec: ModelSpec, signal: AbortSignal, timeoutMs: number): Promise<ServerProbe> {
  const version =
    spec.provider === 'ollama'
      ? httpGetJson({ url: `${spec.baseUrl}/api/version`, signal, timeoutMs, maxBytes: 64 * 1024 }).then(
          (body) => versionSchema.safeParse(body).data?.version,
          () => undefined,
        )
      : Promise.resolve(undefined);
  const [v, models] = await Promise.all([
    version,
    listModels(spec, signal, timeoutMs).then(
      (installed) => ({ installed }),
      (error: unknown) => ({ error }),
    ),
  ]);
  return { ...(v ? { version: v } : {}), ...models };
}

function serverKey(spec: ModelSpec): string {
  return `${spec.provider} ${spec.baseUrl}`;
}

function serverLabel(spec: ModelSpec): string {
  return spec.provider === 'ollama' ? 'Ollama' : 'OpenAI-compatible server';
}

/**
 * The model is optional until the user picks one: without it briefs are extractive, which is a fine start.
 * So a missing default model warns (and says that is why briefs are extractive) instead of failing.
 */
export function optionalModel(checks: DoctorCheck[]): DoctorCheck[] {
  return checks.map((check) =>
    check.status === 'fail'
      ? {
          ...check,
          status: 'warn',
          detail: `${check.detail}. No model is set up, so briefs are written without one (extractive)`,
        }
      : check,
  );
}

export async function checkLlm(
  settings: Settings,
  env: NodeJS.ProcessEnv,
  signal: AbortSignal,
  timeoutMs: number,
): Promise<DoctorCheck[]> {
  const { llm } = settings;
  if (llm.provider === 'none') {
    return [
      { id: 'llm', status: 'skip', title: 'LLM', detail: 'LLM off: extractive briefs' },
      { id: 'embedding-model', status: 'skip', title: 'Embedding model', detail: 'LLM off: no embeddings needed' },
    ];
  }
  const chain = modelChain(llm, env);
  // Memory embeds with Ollama: the chain's Ollama if it has one, else the one OLLAMA_HOST points at.
  const embedder: ModelSpec = {
    provider: 'ollama',
    model: llm.embeddingModel,
    baseUrl: chain.find((s) => s.provider === 'ollama')?.baseUrl ?? ollamaBaseUrl(undefined, env),
  };
  const probes = new Map<string, Promise<ServerProbe>>();
  for (const spec of [...chain, embedder]) {
    const key = serverKey(spec);
    if (!probes.has(key)) probes.set(key, probeServer(spec, signal, timeoutMs));
  }
  const results = new Map<string, ServerProbe>();
  for (const [key, probe] of probes) results.set(key, await probe);
  const probeOf = (spec: ModelSpec): ServerProbe => results.get(serverKey(spec)) ?? {};

  const checks: DoctorCheck[] = [];
  const reported = new Set<string>();
  const primaryKey = chain[0] ? serverKey(chain[0]) : '';
  const works = chain.map((spec) => {
    const { installed } = probeOf(spec);
    return installed !== undefined && (isUnlisted(spec, installed) || hasModel(installed, spec.model));
  });
  const workingFallback = chain.find((_, i) => i > 0 && works[i]);
  // What each installed Ollama model can do, asked in parallel; an older server that cannot say is no failure.
  const infos = await Promise.all(
    chain.map((spec, i) =>
      works[i] && spec.provider === 'ollama'
        ? readModelInfo(spec, undefined, signal, timeoutMs).catch(() => undefined)
        : Promise.resolve(undefined),
    ),
  );

  chain.forEach((spec, index) => {
    const key = serverKey(spec);
    const probe = probeOf(spec);
    if (!reported.has(key)) {
      reported.add(key);
      // A server only fallbacks use cannot break the brief on its own, so it warns; the primary's fails.
      checks.push(serverCheck(spec, probe, reported.size, key === primaryKey ? 'fail' : 'warn'));
    }
    const check = modelCheck(spec, probe, index, index === 0 ? workingFallback : undefined);
    const info = infos[index];
    checks.push(info ? withCapabilities(check, spec, info, llm.contextTokens) : check);
  });

  const embedKey = serverKey(embedder);
  const embedProbe = probeOf(embedder);
  const base = { id: 'embedding-model', title: 'Embedding model' };
  if (embedProbe.installed === undefined) {
    if (reported.has(embedKey)) {
      checks.push({
        ...base,
        status: 'skip',
        detail: `Embedding model ${embedder.model}: not checked, Ollama is not reachable`,
      });
    } else {
      checks.push({ ...serverCheck(embedder, embedProbe, 0, 'warn'), ...base });
    }
  } else if (hasModel(embedProbe.installed, embedder.model)) {
    checks.push({ ...base, status: 'ok', detail: `Embedding model ${embedder.model} installed` });
  } else {
    checks.push({
      ...base,
      status: 'warn',
      detail: `Embedding model ${embedder.model} not installed in Ollama (memory will need it)`,
      fix: `ollama pull ${embedder.model}`,
    });
  }
  return checks;
}

/** Some OpenAI-compatible servers list no models at all; the app's own preflight accepts that, so we do too. */
function isUnlisted(spec: ModelSpec, installed: string[]): boolean {
  return spec.provider === 'openai-compatible' && !installed.length;
}

function serverCheck(spec: ModelSpec, probe: ServerProbe, nth: number, failAs: 'fail' | 'warn'): DoctorCheck {
  const base = {
    id: nth > 1 ? `llm-server-${nth}` : 'llm-server',
    title: nth > 1 ? 'Fallback LLM server' : 'LLM server',
  };
  if (probe.installed) {
    const version = probe.version ? ` ${probe.version}` : '';
    const count = `${probe.installed.length} model${probe.installed.length === 1 ? '' : 's'}`;
    return { ...base, status: 'ok', detail: `${serverLabel(spec)}${version} at ${spec.baseUrl} (${count})` };
  }
  const error = probe.error;
  const detail = error instanceof AppError ? error.message : describeError(error);
  const fix =
    error instanceof AppError && error.hint
      ? error.hint
      : spec.provider === 'ollama'
        ? 'Start it with `ollama serve`, or set llm.baseUrl'
        : 'Start the server or fix llm.baseUrl';
  return { ...base, status: failAs, detail: capitalize(detail), fix };
}

function modelCheck(spec: ModelSpec, probe: ServerProbe, index: number, fallback: ModelSpec | undefined): DoctorCheck {
  const primary = index === 0;
  const base = primary
    ? { id: 'llm-model', title: 'LLM model' }
    : { id: `llm-fallback-${index}`, title: `Fallback model ${index}` };
  const what = spec.provider === 'ollama' ? `Ollama model ${spec.model}` : `Model ${spec.model}`;
  const { installed } = probe;
  if (installed === undefined) {
    return { ...base, status: 'skip', detail: `${what}: not checked, the server is not reachable` };
  }
  if (isUnlisted(spec, installed)) {
    return { ...base, status: 'ok', detail: `${what}: the server lists no models, so it is assumed to be there` };
  }
  if (hasModel(installed, spec.model)) return { ...base, status: 'ok', detail: `${what} installed` };
  const field = primary ? 'llm.model' : `llm.fallbacks[${index - 1}].model`;
  // Briefs still get written through the fallback, but the user asked for this model and should hear it is missing.
  const meanwhile = fallback ? ` (briefs use the fallback ${fallback.model} meanwhile)` : '';
  return {
    ...base,
    status: primary ? 'fail' : 'warn',
    detail:
      spec.provider === 'ollama'
        ? `${what} not installed${meanwhile}`
        : `${what} not available at ${spec.baseUrl}${meanwhile}`,
    fix:
      spec.provider === 'ollama'
        ? `ollama pull ${spec.model}`
        : `Load it in the server, or pick an available one in ${field}`,
  };
}

/** "Ollama model qwen3:8b installed: tools · thinking · 40k context", and a warning when the settings ask too much of it. */
function withCapabilities(check: DoctorCheck, spec: ModelSpec, info: ModelInfo, contextTokens: number): DoctorCheck {
  const described = capabilityWords(info);
  const tools = canUseTools(info) ? '' : ' (no tools: briefs are written without look-ups)';
  const detail = described ? `${check.detail}: ${described}${tools}` : `${check.detail}${tools}`;
  const tooLarge = contextTooLarge(contextTokens, spec.model, info);
  if (!tooLarge || check.status !== 'ok') return { ...check, detail };
  return {
    ...check,
    status: 'warn',
    detail: `${detail}. ${tooLarge}`,
    fix: `Set llm.contextTokens to ${info.contextLength ?? ''} or less`,
  };
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
