import type { ClientEvent } from '../client/types.ts';
import { count } from '../format.ts';
import { Icon } from '../ui/Icon.tsx';
import { sourceName } from './sourceNames.ts';

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
      // A new refresh starts from a clean slate: the ticks of the last one are not this one's.
      const sources = event.phase === 'fetch' && !state.running ? [] : state.sources;
      return { ...state, sources, running: event.phase !== 'done', phase: event.phase, modelLoading: loading };
    }
    case 'model-load':
      return { ...state, modelLoading: event.state === 'loading' };
    case 'source-started':
      return upsert({ source: event.source, state: 'running', detail: 'fetching' });
    case 'source-finished':
      return upsert({ source: event.source, state: 'ok', detail: count(event.itemCount, 'item') });
    case 'source-failed':
      return upsert({ source: event.source, state: 'error', detail: 'could not be reached' });
    case 'brief-ready':
      return { ...state, running: false, phase: 'done' };
    case 'refresh-failed':
      return { ...state, running: false, error: event.message };
    default:
      return state;
  }
}

/** The refresh in words: what it is doing now, a tick per source as it finishes; gone when the brief is in. */
export function progressWords(state: RefreshState): string {
  if (state.modelLoading) return 'Loading the model…';
  const writing = ['rank', 'compose', 'reason', 'write', 'persist', 'ingest'].includes(state.phase ?? '');
  if (writing) return 'Writing the brief…';
  const waiting = state.sources.filter((s) => s.state === 'running').length;
  if (state.sources.length) {
    return waiting ? `Fetching ${count(waiting, 'source')}…` : 'Fetched. Writing the brief…';
  }
  return 'Getting ready…';
}

export function RefreshButton({ state, onRefresh }: { state: RefreshState; onRefresh: () => void }) {
  return (
    <button
      type="button"
      className="icon-button refresh-button"
      onClick={onRefresh}
      disabled={state.running}
      aria-keyshortcuts="r"
      aria-label={state.running ? 'Refreshing…' : 'Refresh'}
      title={state.running ? 'Refreshing…' : 'Refresh (r)'}
    >
      <Icon name="refresh" />
    </button>
  );
}

export function RefreshProgress({ state }: { state: RefreshState }) {
  return (
    <div className="progress" role="status" aria-live="polite" data-testid="refresh-progress">
      {state.running && (
        <>
          <span className="phase">{progressWords(state)}</span>
          {state.sources.length > 0 && (
            <ul aria-label="Sources">
              {state.sources.map((s) => (
                <li key={s.source} className={`source-${s.state}`} data-source={s.source}>
                  {s.state === 'ok' && <Icon name="check" size={14} />}
                  {sourceName(s.source)}
                  {s.state === 'running' ? '…' : `: ${s.detail}`}
                </li>
              ))}
            </ul>
          )}
        </>
      )}
      {!state.running && state.error && <p className="error">{state.error}</p>}
    </div>
  );
}
