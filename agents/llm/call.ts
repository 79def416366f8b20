import type { BaseLanguageModelInput } from '@langchain/core/language_models/base';
import type { AIMessageChunk, BaseMessage } from '@langchain/core/messages';
import type { Runnable } from '@langchain/core/runnables';
import { AppError } from '../../core/errors.ts';
import type { Usage } from '../reasoner/state.ts';
import { stripReasoning } from './reasoning.ts';

export interface CallLimits {
  timeoutMs: number;
  signal: AbortSignal;
  onToken?: (text: string) => void;
  /** Closes the underlying request when the call is given up on. */
  cancel?: () => void;
}

export interface CallResult {
  message: AIMessageChunk;
  /** The answer, with any reasoning cut out; may be empty. */
  text: string;
  /** The model reasoned (in the thinking field or in tags): an empty answer then means it ran out of room or gave up. */
  reasoned: boolean;
  /** The server stopped the reply at the output cap (Ollama done_reason, OpenAI finish_reason "length"). */
  truncated: boolean;
  usage: Usage;
}

type ChatRunnable = Runnable<BaseLanguageModelInput, AIMessageChunk>;

/**
 * One model call, streamed, with a hard time limit. The stream is also raced against the deadline,
 * because a server that stalls mid-stream sends no chunk that would let the client notice the abort.
 */
export async function callModel(
  model: ChatRunnable,
  messages: BaseMessage[],
  limits: CallLimits,
  options: Record<string, unknown> = {},
): Promise<CallResult> {
  const timeout = AbortSignal.timeout(limits.timeoutMs);
  const signal = AbortSignal.any([limits.signal, timeout]);
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => {
      limits.cancel?.();
      reject(
        timeout.aborted
          ? new AppError('llm_timeout', `the model did not finish within ${limits.timeoutMs} ms`, {
              hint: 'Raise llm.timeoutMs or use a smaller model',
            })
          : new AppError('aborted', 'the model call was cancelled'),
      );
    };
    signal.addEventListener('abort', onAbort, { once: true });
    if (signal.aborted) onAbort();
  });
  const run = async (): Promise<CallResult> => {
    let message: AIMessageChunk | undefined;
    const stream = await model.stream(messages, { ...options, signal });
    for await (const chunk of stream) {
      message = message ? message.concat(chunk) : chunk;
      const piece = typeof chunk.content === 'string' ? chunk.content : '';
      if (piece) limits.onToken?.(piece);
    }
    if (!message) throw new AppError('llm_empty', 'the model sent an empty reply');
    const usage = message.usage_metadata;
    const raw = typeof message.content === 'string' ? message.content : JSON.stringify(message.content);
    const text = stripReasoning(raw);
    const thinking = message.additional_kwargs.reasoning_content;
    const meta = message.response_metadata as { done_reason?: unknown; finish_reason?: unknown };
    return {
      message,
      text,
      reasoned: (typeof thinking === 'string' && thinking.length > 0) || text !== raw.trim(),
      truncated: meta.done_reason === 'length' || meta.finish_reason === 'length',
      usage: { calls: 1, promptTokens: usage?.input_tokens ?? 0, completionTokens: usage?.output_tokens ?? 0 },
    };
  };
  try {
    return await Promise.race([run(), aborted]);
  } finally {
    if (onAbort) signal.removeEventListener('abort', onAbort);
  }
}

/** Why a reply the output cap cut off is a failed try, in words for the brief's status. */
export function truncatedReason(result: CallResult, cap: number): string {
  const reasoning = result.reasoned && result.text.length < 200 ? ', most of it reasoning' : '';
  return `the answer was cut off at the output limit of ${cap} tokens${reasoning} (llm.maxOutputTokens)`;
}

/** Why a reply with no answer and no tool call is a failed try, in words for the brief's status. */
export function emptyAnswerReason(result: CallResult): string {
  return result.reasoned
    ? 'the model spent its reply on reasoning and gave no answer'
    : 'the model gave an empty answer';
}
