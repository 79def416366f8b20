import type { ClientEvent } from '../client/types.ts';

export interface SourceProgress {
  source: string;
  state: 'running' | 'ok' | 'error';
  detail: string;
}

export interface RefreshState {
  running: boolean;
  phase: string | undefined;
  sources: SourceProgress[];
  error: string | undefined;
  /** The local model is loading (it overlaps fetching; a cold load takes a while). */
  modelLoading?: boolean;
}

export const IDLE: RefreshState = { running: false, phase: undefined, sources: [], error: undefined };

/** Folds one service event into what the refresh bar shows. */
export function foldProgress(state: RefreshState, event: ClientEvent): RefreshState {
  const upsert = (progress: SourceProgress) => ({
    ...state,
    running: true,
    sources: [...state.sources.filter((s) => s.source !== progress.source), progress],
  });
  switch (event.type) {
    case 'phase': {
      const loading = state.modelLoading && !['reason', 'write', 'done'].includes(event.phase);
      return { ...state, running: event.phase !== 'done', phase: event.phase, modelLoading: loading };
    }
    case 'model-load':
      return { ...state, modelLoading: event.state === 'loading' };
    case 'source-started':
      return upsert({ source: event.source, state: 'running', detail: 'fetching…' });
    case 'source-finished':
      return upsert({ source: event.source, state: 'ok', detail: `${event.itemCount} items` });
    case 'source-failed':
      return upsert({ source: event.source, state: 'error', detail: event.error });
    case 'brief-ready':
      return { ...state, running: false, phase: 'done' };
    case 'refresh-failed':
      return { ...state, running: false, error: event.message };
    default:
      return state;
  }
}

export function RefreshBar({ state, onRefresh }: { state: RefreshState; onRefresh: () => void }) {
  return (
    <div className="refresh">
      <button type="button" onClick={onRefresh} disabled={state.running} aria-keyshortcuts="r">
        {state.running ? 'Refreshing…' : 'Refresh'}
      </button>
      <div className="progress" role="status" aria-live="polite" data-testid="refresh-progress">
        {state.running && state.phase && <span className="phase">{state.phase}</span>}
        {state.running && state.modelLoading && <span className="model-load">Loading the model…</span>}
        {state.sources.length > 0 && (
          <ul aria-label="Refresh progress by source">
            {state.sources.map((s) => (
              <li key={s.source} className={`source-${s.state}`} data-source={s.source}>
                {s.source}: {s.detail}
              </li>
            ))}
          </ul>
        )}
        {state.error && <p className="error">{state.error}</p>}
      </div>
    </div>
  );
}
