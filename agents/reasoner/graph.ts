import { AIMessage, ToolMessage, type BaseMessage } from '@langchain/core/messages';
import { convertToOpenAITool } from '@langchain/core/utils/function_calling';
import { END, START, StateGraph } from '@langchain/langgraph';
import { callModel, emptyAnswerReason, truncatedReason } from '../llm/call.ts';
import type { ReasonerConfig } from './configuration.ts';
import { estimateTokens } from './prompts.ts';
import { ReasonerState, type ReasonerStateType, type ReasonerUpdate } from './state.ts';
import { reasonerTools, runToolCall } from './tools.ts';

/** Calls per step beyond this are dropped: one step should not read the whole store. */
const MAX_CALLS_PER_STEP = 4;
const NOTE_CHARS = 3500;

/**
 * The ReAct loop: model -> (tool calls?) -> tools -> model ..., until the model stops asking or a
 * limit is hit (steps, time, tokens). It never throws for a limit: it stops and the writer uses
 * what was gathered.
 */
export function buildReasonerGraph(config: ReasonerConfig) {
  const tools = reasonerTools(config.tools);
  const bound = config.model.bindTools?.(tools);
  if (!bound) throw new Error('this chat model cannot call tools');
  // Servers count the tool definitions as prompt too, on every call.
  const toolTokens = estimateTokens(JSON.stringify(tools.map((t) => convertToOpenAITool(t))));

  const modelNode = async (state: ReasonerStateType): Promise<ReasonerUpdate> => {
    const limit = limitReached(state, config, toolTokens);
    if (limit) return { stopReason: limit };
    const remaining = config.deadline - config.now();
    const result = await callModel(bound, state.messages, {
      timeoutMs: Math.max(1, Math.min(config.timeoutMs, remaining)),
      signal: config.signal,
      cancel: config.cancel,
    });
    // A reply the cap cut off may hold half a tool call: nothing of it is run, and the loop ends saying why.
    const cut = result.truncated ? truncatedReason(result, config.maxOutputTokens ?? 0) : undefined;
    const calls = cut ? [] : (result.message.tool_calls ?? []);
    config.onProgress({
      type: 'llm-step',
      model: config.modelName,
      step: state.steps + 1,
      toolCalls: calls.map((c) => c.name),
      at: new Date(config.now()).toISOString(),
    });
    const message = new AIMessage({ content: result.text, tool_calls: calls });
    // Thinking plus tools can end in neither an answer nor a call (ollama#10976): a failed step, said so.
    const empty = !calls.length && !result.text ? { stopReason: emptyAnswerReason(result) } : {};
    const stop = cut ? { stopReason: cut } : empty;
    return { messages: [message], steps: 1, usage: result.usage, ...stop };
  };

  const toolsNode = async (state: ReasonerStateType): Promise<ReasonerUpdate> => {
    const last = state.messages.at(-1);
    const calls = last instanceof AIMessage ? (last.tool_calls ?? []) : [];
    const replies: BaseMessage[] = [];
    const notes: string[] = [];
    let refused = 0;
    for (const [index, call] of calls.entries()) {
      const id = call.id ?? `call_${state.steps}_${index}`;
      if (index >= MAX_CALLS_PER_STEP) {
        replies.push(new ToolMessage({ content: 'Skipped: too many calls in one step.', tool_call_id: id }));
        continue;
      }
      const result = await runToolCall({ name: call.name, args: call.args }, tools, config.tools);
      if (result.refused) refused++;
      else notes.push(result.content.slice(0, NOTE_CHARS));
      replies.push(new ToolMessage({ content: result.content, tool_call_id: id, name: call.name }));
    }
    return { messages: replies, notes, refusedCalls: refused };
  };

  const route = (state: ReasonerStateType): 'tools' | typeof END => {
    const last = state.messages.at(-1);
    if (state.stopReason || !(last instanceof AIMessage) || !last.tool_calls?.length) return END;
    return 'tools';
  };

  return new StateGraph(ReasonerState)
    .addNode('model', modelNode)
    .addNode('tools', toolsNode)
    .addEdge(START, 'model')
    .addConditionalEdges('model', route, ['tools', END])
    .addEdge('tools', 'model')
    .compile();
}

function limitReached(state: ReasonerStateType, config: ReasonerConfig, toolTokens: number): string | undefined {
  if (state.steps >= config.maxSteps) return `step limit (${config.maxSteps}) reached`;
  if (config.now() >= config.deadline) return 'time budget used up';
  const next = state.messages.reduce(
    (sum, m) => sum + estimateTokens(typeof m.content === 'string' ? m.content : JSON.stringify(m.content)),
    toolTokens,
  );
  if (state.usage.promptTokens + next > config.promptTokenBudget) return 'token budget used up';
  if (next > config.promptLimit) return 'context window full';
  return undefined;
}

export interface ReasonerOutcome {
  notes: string[];
  steps: number;
  usage: ReasonerStateType['usage'];
  refusedCalls: number;
  stopReason?: string;
}

/** Runs the loop. A failing model call ends it too, but with what was already found. */
export async function runReasoner(config: ReasonerConfig, messages: BaseMessage[]): Promise<ReasonerOutcome> {
  const graph = buildReasonerGraph(config);
  const final = await graph.invoke({ messages }, { recursionLimit: config.maxSteps * 2 + 4, signal: config.signal });
  const outcome: ReasonerOutcome = {
    notes: final.notes,
    steps: final.steps,
    usage: final.usage,
    refusedCalls: final.refusedCalls,
  };
  if (final.stopReason) outcome.stopReason = final.stopReason;
  return outcome;
}
