import { localDate } from '../../../core/time.ts';
import { mayReuseOutput } from '../../brief/llm-brief.ts';
import { keepAliveFor, warmableModel, warmModel } from '../../llm/warm.ts';
import type { WorkflowDeps } from '../configuration.ts';

/**
 * Whether to load the model as fetching starts. Not when today's brief may come from the output cache: an
 * unchanged refresh then makes no model call, and loading a model of several GB for nothing costs memory and
 * battery. That case is settled once the items are in (see `warmIfChanged`).
 */
export function warmEarly(deps: WorkflowDeps): boolean {
  const { settings } = deps.settings;
  const today = localDate(deps.clock.now(), settings.location.timezone);
  return !mayReuseOutput(deps.store, settings.llm, today);
}

/** After ingest, when the warm-up waited: any new or changed item means a new brief, so the model is loaded now. */
export function warmIfChanged(deps: WorkflowDeps, changedIds: readonly string[]): Promise<void> | undefined {
  return changedIds.length ? startWarmup(deps) : undefined;
}

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
