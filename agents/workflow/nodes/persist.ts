import type { WorkflowDeps } from '../configuration.ts';
import type { BriefStateType, BriefStateUpdate } from '../state.ts';

export function persistNode(deps: WorkflowDeps) {
  return async (state: BriefStateType): Promise<BriefStateUpdate> => {
    const brief = state.brief;
    if (!brief) throw new Error('persist reached without a brief');
    deps.onProgress({ type: 'phase', phase: 'persist', at: deps.clock.now().toISOString() });
    const finishedAt = deps.clock.now();
    const done = {
      ...brief,
      timings: {
        fetchMs: brief.timings.fetchMs,
        totalMs: Math.max(0, finishedAt.getTime() - deps.startedAt.getTime()),
      },
    };
    deps.store.saveBrief(
      done,
      deps.runId,
      finishedAt.toISOString(),
      state.freshItems.map((i) => i.id),
      { candidates: state.candidates, vectors: state.rankVectors },
    );
    if (deps.memory) {
      // After the commit: remembering is a bonus, never a reason to lose the brief.
      await deps.memory.rememberBrief(done, deps.signal);
      await deps.memory.rememberFeedback(deps.signal);
      await deps.memory.retain();
    }
    return { brief: done };
  };
}
