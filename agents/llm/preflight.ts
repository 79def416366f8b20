import { z } from 'zod';
import { AppError } from '../../core/errors.ts';
import { httpGetJson, safeHost } from '../../core/http.ts';
import type { ModelSpec } from './models.ts';
import type { InstalledModel } from '../../core/types.ts';

export type { InstalledModel } from '../../core/types.ts';

const tagsSchema = z.object({
  models: z.array(
    z.object({
      name: z.string(),
      model: z.string().optional(),
      size: z.number().optional(),
      digest: z.string().optional(),
    }),
  ),
});
const openAiModelsSchema = z.object({ data: z.array(z.object({ id: z.string() })) });

export interface ModelCheck {
  reachable: boolean;
  installed: string[];
}

/** The models a server has, or a one-line error saying how to make it reachable. */
export async function listModels(spec: ModelSpec, signal: AbortSignal, timeoutMs = 3000): Promise<string[]> {
  return (await listModelDetails(spec, signal, timeoutMs)).map((m) => m.name);
}

export async function listModelDetails(
  spec: ModelSpec,
  signal: AbortSignal,
  timeoutMs = 3000,
): Promise<InstalledModel[]> {
  const maxBytes = 1024 * 1024;
  try {
    if (spec.provider === 'ollama') {
      const tags = tagsSchema.parse(
        await httpGetJson({ url: `${spec.baseUrl}/api/tags`, signal, timeoutMs, maxBytes }),
      );
      return tags.models.map((m) => ({
        name: m.name,
        ...(m.size === undefined ? {} : { size: m.size }),
        ...(m.digest === undefined ? {} : { digest: m.digest }),
      }));
    }
    const headers: Record<string, string> = spec.apiKey ? { authorization: `Bearer ${spec.apiKey}` } : {};
    const list = openAiModelsSchema.parse(
      await httpGetJson({ url: `${spec.baseUrl}/models`, signal, timeoutMs, headers, maxBytes }),
    );
    return list.data.map((m) => ({ name: m.id }));
  } catch (error) {
    const status =
      error instanceof AppError && error.code === 'http_status' ? /HTTP (\d{3})/.exec(error.message)?.[1] : undefined;
    if (status === '401' || status === '403') {
      throw new AppError('llm_refused', `${label(spec)} at ${spec.baseUrl} refused the request (HTTP ${status})`, {
        hint: 'Check the API key in the environment variable named by llm.apiKeyEnv',
        cause: error,
      });
    }
    if (status) {
      throw new AppError('llm_bad_server', `${label(spec)} at ${spec.baseUrl} answered HTTP ${status}`, {
        hint: 'Check llm.baseUrl and llm.provider in settings',
        cause: error,
      });
    }
    if (error instanceof z.ZodError) {
      throw new AppError('llm_bad_server', `${safeHost(spec.baseUrl)} does not answer like ${label(spec)}`, {
        hint: 'Check llm.baseUrl and llm.provider in settings',
        cause: error,
      });
    }
    throw new AppError('llm_unreachable', `${label(spec)} is not reachable at ${spec.baseUrl}`, {
      hint:
        spec.provider === 'ollama'
          ? 'Start it with `ollama serve`, set llm.baseUrl, or set llm.provider to "none"'
          : 'Start the server or fix llm.baseUrl',
      cause: error,
    });
  }
}

export function hasModel(installed: string[], model: string): boolean {
  return installed.some((name) => name === model || name === `${model}:latest` || `${name}:latest` === model);
}

/**
 * Before a run: the model must be there, or the error names the exact `ollama pull` to run.
 * Returns the installed entry (with its digest, for caching what the model can do).
 */
export async function ensureModel(spec: ModelSpec, signal: AbortSignal): Promise<InstalledModel | undefined> {
  const details = await listModelDetails(spec, signal);
  const installed = details.map((m) => m.name);
  if (spec.provider === 'openai-compatible' && !installed.length) return undefined; // some servers list nothing
  const found = details.find((m) => hasModel([m.name], spec.model));
  if (!found) {
    throw new AppError('model_missing', `the model "${spec.model}" is not installed in ${label(spec)}`, {
      hint:
        spec.provider === 'ollama'
          ? `Run \`ollama pull ${spec.model}\`, or pick an installed one in llm.model`
          : 'Load it in the server, or pick an available one in llm.model',
    });
  }
  return found;
}

function label(spec: ModelSpec): string {
  return spec.provider === 'ollama' ? 'Ollama' : 'the OpenAI-compatible server';
}
