import type { LlmSettings } from '../../core/settings.ts';

/** One model the app may ask, resolved from settings and the environment. */
export interface ModelSpec {
  provider: 'ollama' | 'openai-compatible';
  model: string;
  baseUrl: string;
  /** Read from the environment variable named in settings, never stored. */
  apiKey?: string;
}

export const DEFAULT_OLLAMA_URL = 'http://127.0.0.1:11434';
export const DEFAULT_OPENAI_COMPATIBLE_URL = 'http://127.0.0.1:1234/v1';

/**
 * Ollama's own convention: OLLAMA_HOST may be "host", "host:port" or a URL. Without a scheme the
 * port defaults to 11434 (with one, to the scheme's), exactly as the ollama CLI reads it.
 */
export function ollamaBaseUrl(configured: string | undefined, env: NodeJS.ProcessEnv): string {
  if (configured) return configured.replace(/\/+$/, '');
  const host = env.OLLAMA_HOST?.trim();
  if (!host) return DEFAULT_OLLAMA_URL;
  if (/^https?:\/\//.test(host)) return host.replace(/\/+$/, '');
  const [hostport = '', ...path] = host.split('/');
  const hasPort = /:\d+$/.test(hostport) && !/^\[[^\]]*\]$/.test(hostport);
  const rest = path.filter(Boolean).join('/');
  return `http://${hasPort ? hostport : `${hostport}:11434`}${rest ? `/${rest}` : ''}`;
}

function resolve(
  provider: ModelSpec['provider'],
  model: string,
  baseUrl: string | undefined,
  apiKeyEnv: string | undefined,
  env: NodeJS.ProcessEnv,
): ModelSpec {
  const spec: ModelSpec = {
    provider,
    model,
    baseUrl:
      provider === 'ollama'
        ? ollamaBaseUrl(baseUrl, env)
        : (baseUrl ?? DEFAULT_OPENAI_COMPATIBLE_URL).replace(/\/+$/, ''),
  };
  const key = apiKeyEnv ? env[apiKeyEnv] : undefined;
  if (key) spec.apiKey = key;
  return spec;
}

/** The primary model, then each fallback, in order. Empty when the LLM is switched off. */
export function modelChain(llm: LlmSettings, env: NodeJS.ProcessEnv = process.env): ModelSpec[] {
  if (llm.provider === 'none') return [];
  const primary = resolve(llm.provider, llm.model, llm.baseUrl, llm.apiKeyEnv, env);
  // A fallback without its own URL lives on the same server as the primary when it is the same kind.
  return [
    primary,
    ...llm.fallbacks.map((f) =>
      resolve(
        f.provider,
        f.model,
        f.baseUrl ?? (f.provider === primary.provider ? primary.baseUrl : undefined),
        // The primary's key only goes to the primary's server, never to another one.
        f.apiKeyEnv ?? (sameServer(f, primary) ? llm.apiKeyEnv : undefined),
        env,
      ),
    ),
  ];
}

function sameServer(f: LlmSettings['fallbacks'][number], primary: ModelSpec): boolean {
  return (
    f.provider === primary.provider && (f.baseUrl === undefined || f.baseUrl.replace(/\/+$/, '') === primary.baseUrl)
  );
}

export function describeModel(spec: ModelSpec): string {
  return spec.provider === 'ollama' ? spec.model : `${spec.model} (${spec.baseUrl})`;
}
