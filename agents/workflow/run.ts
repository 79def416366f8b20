import { AppError } from '../../core/errors.ts';
import type { Brief } from '../../core/types.ts';
import type { WorkflowDeps } from './configuration.ts';
import { buildBriefGraph } from './graph.ts';

/** Runs one refresh through the graph and returns the persisted brief. */
export async function runBriefWorkflow(deps: WorkflowDeps): Promise<Brief> {
  const graph = buildBriefGraph(deps);
  const final = await graph.invoke({}, { signal: deps.signal, recursionLimit: 50 });
  if (!final.brief) throw new AppError('no_brief', 'the refresh finished without a brief');
  deps.onProgress({ type: 'phase', phase: 'done', at: deps.clock.now().toISOString() });
  return final.brief;
}
