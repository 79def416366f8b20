import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { AskBox } from './ask/AskBox.tsx';
import { BriefView } from './brief/BriefView.tsx';
import { itemsInOrder, newSince } from './brief/order.ts';
import { errorLine, type Brief, type DailyBriefClient, type Settings } from './client/types.ts';
import { itemDomId, longDate } from './format.ts';
import { HistoryView } from './history/HistoryView.tsx';
import { usePrevious } from './history/usePrevious.ts';
import { SettingsView } from './settings/SettingsView.tsx';
import { RefreshBar } from './status/RefreshBar.tsx';
import { SourceHealth } from './status/SourceHealth.tsx';
import { useBrief } from './useBrief.ts';
import { useFeedback } from './useFeedback.ts';
import { useKeyboard } from './useKeyboard.ts';
import { ErrorLine } from './StatusLine.tsx';

type View = 'brief' | 'history' | 'settings';

interface Props {
  client: DailyBriefClient;
  /** The clock that decides whether the cached brief is stale (tests pass their own). */
  now?: () => Date;
  /** The latest brief, already asked for (main.tsx starts the read before React mounts). */
  cached?: Promise<Brief | null>;
}

function applyTheme(theme: Settings['ui']['theme']): void {
  if (theme === 'system') delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = theme;
}

export function App({ client, now = () => new Date(), cached }: Props) {
  const state = useBrief(client, now, cached);
  const [view, setView] = useState<View>('brief');
  const [past, setPast] = useState<Brief | null>(null);
  const [pastError, setPastError] = useState<string | null>(null);
  const [selectedId, setSelectedId] = useState<string | undefined>();
  const askRef = useRef<HTMLInputElement>(null);
  const shown = past ?? state.brief;
  const feedback = useFeedback(client, state.brief, state.setBrief);
  const { previous } = usePrevious(client, state.brief, 2);
  const newIds = useMemo(
    () => new Set(past || !state.brief ? [] : newSince(state.brief, previous).map((item) => item.id)),
    [past, state.brief, previous],
  );
  // Feedback is for today's brief; a past one is for reading.
  const onVote = past ? undefined : feedback.send;

  useEffect(() => {
    client['settings/get']({}).then(
      (loaded) => {
        applyTheme(loaded.settings.ui.theme);
      },
      () => undefined,
    );
  }, [client]);

  // A click on the desktop notification brings the latest brief to the front.
  useEffect(
    () =>
      client.onEvent((event) => {
        if (event.type !== 'open-brief') return;
        setPast(null);
        setView('brief');
      }),
    [client],
  );

  const jump = useCallback((itemId: string) => {
    setSelectedId(itemId);
    // Focus scrolls the item into view too.
    document.getElementById(itemDomId(itemId))?.focus();
  }, []);

  const order = useMemo(() => (shown ? itemsInOrder(shown).map((item) => item.id) : []), [shown]);
  const move = useCallback(
    (step: number) => {
      if (!order.length) return;
      const at = selectedId ? order.indexOf(selectedId) : -1;
      const next = order[Math.min(order.length - 1, Math.max(0, at + step))];
      if (next) jump(next);
    },
    [order, selectedId, jump],
  );

  const keys = useMemo(
    () => ({
      next: () => {
        move(1);
      },
      previous: () => {
        move(-1);
      },
      voteUp: () => {
        if (selectedId) onVote?.(selectedId, 'up');
      },
      voteDown: () => {
        if (selectedId) onVote?.(selectedId, 'down');
      },
      refresh: state.startRefresh,
      ask: () => {
        setView('brief');
        setTimeout(() => askRef.current?.focus(), 0);
      },
    }),
    [move, state.startRefresh, selectedId, onVote],
  );
  useKeyboard(keys);

  const openDate = (date: string) => {
    setPastError(null);
    client['brief/byDate']({ date }).then(
      (brief) => {
        setPast(brief?.id === state.brief?.id ? null : brief);
        setView('brief');
      },
      (failure: unknown) => {
        setPastError(errorLine(failure));
      },
    );
  };

  return (
    <div className="app">
      <header className="top">
        <h1>Daily Brief</h1>
        {shown && <p className="date">{longDate(shown.date)}</p>}
        <nav aria-label="Views">
          {(['brief', 'history', 'settings'] as const).map((name) => (
            <button
              key={name}
              type="button"
              aria-current={view === name ? 'page' : undefined}
              onClick={() => {
                setView(name);
              }}
            >
              {{ brief: 'Brief', history: 'History', settings: 'Settings' }[name]}
            </button>
          ))}
        </nav>
        <RefreshBar state={state.refresh} onRefresh={state.startRefresh} />
      </header>
      <main>
        <ErrorLine text={state.error} />
        {view === 'brief' && (
          <>
            <AskBox client={client} inputRef={askRef} />
            {past && (
              <p className="past" role="status">
                Showing the brief of {longDate(past.date)}.{' '}
                <button
                  type="button"
                  onClick={() => {
                    setPast(null);
                  }}
                >
                  Back to the latest
                </button>
              </p>
            )}
            {feedback.message && !past && (
              <p className={feedback.message.error ? 'error' : 'feedback'} role="status" data-testid="feedback-message">
                {feedback.message.text}{' '}
                {!feedback.message.error && (
                  <button
                    type="button"
                    onClick={() => {
                      if (feedback.message) feedback.send(feedback.message.itemId, 'undo');
                    }}
                  >
                    Undo
                  </button>
                )}
              </p>
            )}
            {shown ? (
              <BriefView
                brief={shown}
                selectedId={selectedId}
                newIds={newIds}
                onSelect={setSelectedId}
                onJump={jump}
                onVote={onVote}
              />
            ) : (
              state.loaded && <p className="empty">No brief yet: the first one is being written.</p>
            )}
          </>
        )}
        {view === 'history' && (
          <>
            <ErrorLine text={pastError} />
            <HistoryView client={client} latest={state.brief} onOpen={openDate} />
          </>
        )}
        {view === 'settings' && (
          <SettingsView
            client={client}
            onSaved={(settings) => {
              applyTheme(settings.ui.theme);
            }}
          />
        )}
      </main>
      <aside aria-label="Source health">
        <SourceHealth health={state.health} brief={state.brief} />
      </aside>
    </div>
  );
}
