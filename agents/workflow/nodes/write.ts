import { writeLlmBrief } from '../../brief/llm-brief.ts';
import type { WorkflowDeps } from '../configuration.ts';
import type { BriefStateType, BriefStateUpdate } from '../state.ts';

/** The local model reasons over the day and rewrites the extractive brief; any failure keeps the extractive one. */
export function writeNode(deps: WorkflowDeps, warmed: () => Promise<void> = () => Promise.resolve()) {
  return async (state: BriefStateType): Promise<BriefStateUpdate> => {
    const base = state.brief;
    if (!base) throw new Error('write reached without a brief');
    await warmed();
    const brief = await writeLlmBrief(base, {
      base,
      llm: deps.settings.settings.llm,
      store: deps.store,
      signal: deps.signal,
      // Budgets and durations need a clock that really moves, even when the calendar clock is fixed.
      now: () => performance.timeOrigin + performance.now(),
      log: deps.log,
      onProgress: deps.onProgress,
      ...(deps.memory ? { memory: deps.memory } : {}),
    });
    return { brief };
  };
}
