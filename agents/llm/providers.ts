import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import type { ModelSpec } from './models.ts';

export interface ChatModelOptions {
  contextTokens: number;
  temperature?: number;
  /**
   * Ollama: set only for a model that can think, so its reasoning comes in the `thinking` field, apart
   * from the answer. `think: false` is not sent: some models ignore it and it breaks structured output on others.
   */
  think?: boolean;
  /** Ollama: how long the model stays loaded after a request ("600s"), so one refresh loads it once. */
  keepAlive?: string;
  /** The most tokens a reply may have: Ollama `num_predict`, OpenAI `max_tokens` (reasoning included). */
  maxOutputTokens?: number;
}

/**
 * The LangChain chat model for a spec. Built per refresh (never at import time), so settings
 * changes apply on the next run. Retries are off: the fallback chain is the retry policy.
 */
export interface ChatModelHandle {
  model: BaseChatModel;
  /** Drops every open request of this model: the Ollama client does not see LangChain's abort signal. */
  cancel: () => void;
}

export async function createChatModel(spec: ModelSpec, options: ChatModelOptions): Promise<ChatModelHandle> {
  const temperature = options.temperature ?? 0.2;
  if (spec.provider === 'ollama') {
    const { ChatOllama } = await import('@langchain/ollama');
    let controller = new AbortController();
    // Our own signal on every request, so a stall (even before the first byte) can be cut off.
    const abortableFetch: typeof fetch = (input, init) =>
      fetch(input, {
        ...init,
        signal: init?.signal ? AbortSignal.any([init.signal, controller.signal]) : controller.signal,
      });
    const model = new ChatOllama({
      baseUrl: spec.baseUrl,
      model: spec.model,
      temperature,
      numCtx: options.contextTokens,
      ...(options.maxOutputTokens ? { numPredict: options.maxOutputTokens } : {}),
      fetch: abortableFetch,
      ...(options.think ? { think: true } : {}),
      ...(options.keepAlive ? { keepAlive: options.keepAlive } : {}),
    });
    return {
      model,
      cancel: () => {
        controller.abort();
        controller = new AbortController();
      },
    };
  }
  const { ChatOpenAI } = await import('@langchain/openai');
  // The OpenAI SDK passes the abort signal down to fetch, so cancelling the call is enough.
  const model = new ChatOpenAI({
    model: spec.model,
    temperature,
    maxRetries: 0,
    // Local servers accept any key; the SDK insists on having one.
    apiKey: spec.apiKey ?? 'not-needed',
    ...(options.maxOutputTokens ? { maxTokens: options.maxOutputTokens } : {}),
    configuration: { baseURL: spec.baseUrl },
  });
  return { model, cancel: () => undefined };
}

/** Call options that ask for JSON matching a schema, in each provider's own dialect. */
export function jsonOutputOptions(spec: ModelSpec, schema: Record<string, unknown>): Record<string, unknown> {
  if (spec.provider === 'ollama') return { format: schema };
  return { response_format: { type: 'json_schema', json_schema: { name: 'brief', schema, strict: false } } };
}
