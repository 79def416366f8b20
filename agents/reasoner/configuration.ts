import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import type { Logger } from '../../core/log.ts';
import type { ProgressEvent } from '../../core/types.ts';
import type { ToolContext } from './tools.ts';

export interface ReasonerConfig {
  model: BaseChatModel;
  cancel: () => void;
  modelName: string;
  tools: ToolContext;
  maxSteps: number;
  /** Per model call. */
  timeoutMs: number;
  /** Wall-clock end of the whole LLM phase (epoch ms). */
  deadline: number;
  /** Prompt tokens the loop may spend, leaving the rest for writing. */
  promptTokenBudget: number;
  /** The largest prompt the model's context takes (room for the reply already kept); one that would overflow it ends the loop. */
  promptLimit: number;
  /** The output cap every call carries, to say so when a reply hits it. */
  maxOutputTokens?: number;
  signal: AbortSignal;
  now: () => number;
  log: Logger;
  onProgress: (event: ProgressEvent) => void;
}
