import type { Connector } from '../../../connectors/types.ts';
import { AppError, describeError } from '../../../core/errors.ts';
import { requestTimeoutMs } from '../../../core/settings.ts';
import type { SourceStatus } from '../../../core/types.ts';
import type { WorkflowDeps } from '../configuration.ts';
import type { BriefStateUpdate, SourceOutcome } from '../state.ts';

/**
 * One source, isolated: its own time limit, and any failure turns into an "error" status with the
 * last good items served as stale. It never throws, so one source can never sink the brief.
 */
export function fetchSourceNode(connector: Connector, deps: WorkflowDeps) {
  return async (): Promise<BriefStateUpdate> => {
    const outcome = await fetchSource(connector, deps);
    return { outcomes: { [connector.id]: outcome } };
  };
}

export async function fetchSource(connector: Connector, deps: WorkflowDeps): Promise<SourceOutcome> {
  const { clock, store, settings, onProgress } = deps;
  const timeoutMs = settings.settings.refresh.sourceTimeoutMs;
  const startedAt = clock.now();
  const started = performance.now();
  onProgress({ type: 'source-started', source: connector.id, at: startedAt.toISOString() });

  const controller = new AbortController();
  const onParentAbort = (): void => {
    controller.abort(deps.signal.reason);
  };
  deps.signal.addEventListener('abort', onParentAbort, { once: true });
  let timer: NodeJS.Timeout | undefined;
  // Racing the timer matters even though the signal is passed down: a connector that ignores its
  // signal must still not hold up the brief.
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new AppError('source_timeout', `timed out after ${timeoutMs} ms`, {
        hint: 'Raise refresh.sourceTimeoutMs or check the source',
      });
      controller.abort(error);
      reject(error);
    }, timeoutMs);
  });

  try {
    const result = await Promise.race([
      connector.fetch({
        settings: settings.settings,
        signal: controller.signal,
        clock,
        cache: store.connectorCache(() => clock.now().toISOString()),
        requestTimeoutMs: requestTimeoutMs(settings.settings),
      }),
      deadline,
    ]);
    const durationMs = Math.round(performance.now() - started);
    const status: SourceStatus = {
      id: connector.id,
      status: 'ok',
      itemCount: result.items.length,
      durationMs,
      dataAsOf: startedAt.toISOString(),
    };
    if (result.warnings.length) status.warnings = result.warnings;
    onProgress({
      type: 'source-finished',
      source: connector.id,
      itemCount: result.items.length,
      durationMs,
      at: clock.now().toISOString(),
    });
    return { status, items: result.items, fetchedAt: startedAt.toISOString() };
  } catch (error) {
    const durationMs = Math.round(performance.now() - started);
    const message = describeError(error);
    const last = store.lastGoodItems(connector.id);
    const status: SourceStatus = {
      id: connector.id,
      status: 'error',
      itemCount: last.items.length,
      durationMs,
      error: message,
    };
    if (last.items.length) status.staleItemCount = last.items.length;
    if (last.fetchedAt) status.dataAsOf = last.fetchedAt;
    onProgress({
      type: 'source-failed',
      source: connector.id,
      error: message,
      durationMs,
      staleCount: last.items.length,
      at: clock.now().toISOString(),
    });
    return { status, items: last.items, fetchedAt: last.fetchedAt ?? startedAt.toISOString() };
  } finally {
    clearTimeout(timer);
    deps.signal.removeEventListener('abort', onParentAbort);
  }
}
