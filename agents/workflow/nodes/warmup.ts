import { keepAliveFor, warmableModel, warmModel } from '../../llm/warm.ts';
import type { WorkflowDeps } from '../configuration.ts';

/**
 * Starts loading the local model as the fetch phase starts, so a cold load overlaps fetching. Never
 * rejects: a model that cannot be loaded is reported by the write step's own request.
 */
export async function startWarmup(deps: WorkflowDeps): Promise<void> {
  const llm = deps.settings.settings.llm;
  const spec = warmableModel(llm);
  if (!spec) return;
  const at = () => deps.clock.now().toISOString();
  deps.onProgress({ type: 'model-load', model: spec.model, state: 'loading', at: at() });
  const loaded = await warmModel(spec, keepAliveFor(llm), deps.signal, llm.timeoutMs);
  deps.onProgress({ type: 'model-load', model: spec.model, state: loaded ? 'ready' : 'failed', at: at() });
  if (!loaded) deps.log.info({ model: spec.model }, 'could not load the model ahead of writing');
}
