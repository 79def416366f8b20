import type { BaseMessage } from '@langchain/core/messages';
import { Annotation, messagesStateReducer } from '@langchain/langgraph';

export interface Usage {
  calls: number;
  promptTokens: number;
  completionTokens: number;
}

export const NO_USAGE: Usage = { calls: 0, promptTokens: 0, completionTokens: 0 };

export function addUsage(a: Usage, b: Usage): Usage {
  return {
    calls: a.calls + b.calls,
    promptTokens: a.promptTokens + b.promptTokens,
    completionTokens: a.completionTokens + b.completionTokens,
  };
}

export const ReasonerState = Annotation.Root({
  messages: Annotation<BaseMessage[]>({ reducer: messagesStateReducer, default: () => [] }),
  steps: Annotation<number>({ reducer: (a, b) => a + b, default: () => 0 }),
  usage: Annotation<Usage>({ reducer: addUsage, default: () => NO_USAGE }),
  /** Tool results, kept for the writer (the reasoning conversation itself is not re-sent). */
  notes: Annotation<string[]>({ reducer: (a, b) => [...a, ...b], default: () => [] }),
  refusedCalls: Annotation<number>({ reducer: (a, b) => a + b, default: () => 0 }),
  /** Set when a limit ended the loop: steps, time or tokens. */
  stopReason: Annotation<string | undefined>(),
});

export type ReasonerStateType = typeof ReasonerState.State;
export type ReasonerUpdate = typeof ReasonerState.Update;
