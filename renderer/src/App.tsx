import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { AskBox } from './ask/AskBox.tsx';
import { BriefView } from './brief/BriefView.tsx';
import type { NoticeTarget } from './brief/notices.ts';
import { itemsInOrder, newSince } from './brief/order.ts';
import { errorLine, type Brief, type DailyBriefClient, type Settings } from './client/types.ts';
import { itemDomId, longDate, safeHref } from './format.ts';
import { usePrevious } from './history/usePrevious.ts';
import { AppBanner, useBanner } from './status/AppBanner.tsx';
import { RefreshButton, RefreshProgress } from './status/RefreshBar.tsx';
import {
  SampleBanner,
  SampleSettingsNote,
  SampleWaiting,
  useSampleDay,
  type SampleDayState,
} from './status/SampleDay.tsx';
import { Toast } from './ui/Toast.tsx';
import { useBrief } from './useBrief.ts';
import { useFeedback } from './useFeedback.ts';
import { useKeyboard } from './useKeyboard.ts';
import { useOpened } from './useOpened.ts';
import { ViewBoundary } from './ui/ViewBoundary.tsx';
import { ErrorLine } from './StatusLine.tsx';
import { HistoryView, prefetchViewsWhenIdle, SettingsView, StatusView } from './views.ts';
import { ShortcutsDialog } from './ui/ShortcutsDialog.tsx';
import { Welcome } from './Welcome.tsx';

type View = 'brief' | 'history' | 'settings' | 'status';

const VIEW_NAMES: Record<View, string> = { brief: 'Today', history: 'History', settings: 'Settings', status: 'Status' };

interface Props {
  client: DailyBriefClient;
  /** The clock that decides whether the cached brief is stale (tests pass their own). */
  now?: () => Date;
  /** The latest brief, already asked for (main.tsx starts the read before the UI mounts). */
  cached?: Promise<Brief | null>;
  /** That read, when it was back before the UI mounted: the first render shows the brief at once. */
  first?: { brief: Brief | null };
}

function applyLook(ui: Settings['ui']): void {
  const root = document.documentElement;
  if (ui.theme === 'system') delete root.dataset.theme;
  else root.dataset.theme = ui.theme;
  root.dataset.density = ui.density;
}

/**
 * The app around the reading view. Showing the sample day or leaving it mounts the reading view afresh, so no brief,
 * refresh or vote of one day can land in the other.
 */
export function App({ client, now, cached, first }: Props) {
  const sample = useSampleDay(client);
  return (
    <BriefApp
      key={sample.generation}
      client={client}
      now={now}
      cached={sample.generation === 0 ? cached : undefined}
      first={sample.generation === 0 ? first : undefined}
      sample={sample}
      initialView={sample.opening}
    />
  );
}

interface BriefAppProps extends Props {
  sample: SampleDayState;
  initialView: View;
}

function BriefApp({ client, now = () => new Date(), cached, first, sample, initialView }: BriefAppProps) {
  const inSample = sample.mode?.mode === 'sample';
  const state = useBrief(client, now, cached, first);
  const [view, setView] = useState<View>(initialView);
  const [past, setPast] = useState<Brief | null>(null);
  const [pastError, setPastError] = useState<string | null>(null);
  const [selectedId, setSelectedId] = useState<string | undefined>();
  const [helpOpen, setHelpOpen] = useState(false);
  const [banner, dismissBanner] = useBanner(client);
  const [opened, markOpened] = useOpened();
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

  // Once the window shows what it opened onto, the other views' code is fetched ahead of their first use.
  useEffect(() => (state.loaded ? prefetchViewsWhenIdle() : undefined), [state.loaded]);

  useEffect(() => {
    client['settings/get']({}).then(
      (loaded) => {
        applyLook(loaded.settings.ui);
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

  // An item asked for before its card is on the page (the sections come a frame after the TL;DR) is focused when
  // the cards arrive.
  const pendingFocus = useRef<string | undefined>(undefined);
  const jump = useCallback((itemId: string) => {
    setSelectedId(itemId);
    // Focus scrolls the item into view too.
    const card = document.getElementById(itemDomId(itemId));
    if (card) card.focus();
    else pendingFocus.current = itemId;
  }, []);
  const itemsShown = useCallback(() => {
    const itemId = pendingFocus.current;
    pendingFocus.current = undefined;
    if (itemId) document.getElementById(itemDomId(itemId))?.focus();
  }, []);
  // One not found at all (an answer citing an older brief) must not be focused later, on coming back to this view.
  useEffect(() => {
    pendingFocus.current = undefined;
  }, [view]);

  const order = useMemo(() => (shown ? itemsInOrder(shown) : []), [shown]);
  const move = useCallback(
    (step: number) => {
      if (!order.length) return;
      const at = selectedId ? order.findIndex((item) => item.id === selectedId) : -1;
      const next = order[Math.min(order.length - 1, Math.max(0, at + step))];
      if (next) jump(next.id);
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
      open: () => {
        const item = order.find((i) => i.id === selectedId);
        const href = safeHref(item?.url);
        if (!item || !href) return;
        markOpened(item.id);
        window.open(href, '_blank', 'noopener,noreferrer');
      },
      voteUp: () => {
        if (selectedId) onVote?.(selectedId, 'up');
      },
      voteDown: () => {
        if (selectedId) onVote?.(selectedId, 'down');
      },
      mute: () => {
        if (selectedId) onVote?.(selectedId, 'mute');
      },
      undo: () => {
        const last = feedback.message;
        if (last?.undoable) feedback.send(last.itemId, 'undo');
      },
      refresh: state.startRefresh,
      ask: () => {
        setView('brief');
        setTimeout(() => askRef.current?.focus(), 0);
      },
      help: () => {
        setHelpOpen(true);
      },
    }),
    [move, order, state.startRefresh, selectedId, onVote, feedback, markOpened],
  );
  useKeyboard(keys);

  const go = useCallback((target: NoticeTarget) => {
    setView(target);
  }, []);

  // From the sample day, setting up is done in the user's own settings: the sample day makes way first.
  const setUp = () => {
    if (sample.mode?.mode === 'sample' && sample.mode.canLeave) sample.leave('settings');
    else setView('settings');
  };

  const saved = (settings: Settings) => {
    applyLook(settings.ui);
    // The first settings saved: the first brief follows, as the welcome promised.
    if (!state.brief) state.startRefresh();
  };

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
        <span className="brand">Daily Brief</span>
        <nav aria-label="Views">
          {(Object.keys(VIEW_NAMES) as View[]).map((name) => (
            <button
              key={name}
              type="button"
              aria-current={view === name ? 'page' : undefined}
              onClick={() => {
                setView(name);
              }}
            >
              {VIEW_NAMES[name]}
            </button>
          ))}
        </nav>
        <RefreshButton state={state.refresh} onRefresh={state.startRefresh} />
      </header>
      <SampleBanner state={sample} onSetUp={setUp} />
      <AppBanner
        banner={banner}
        onDismiss={dismissBanner}
        onOpenSettings={() => {
          setView('settings');
        }}
      />
      <RefreshProgress state={state.refresh} />
      <main>
        <ErrorLine text={state.error} />
        {view === 'brief' && (
          <>
            {past && (
              <p className="past" role="status">
                Showing the brief of {longDate(past.date)}.{' '}
                <button
                  type="button"
                  onClick={() => {
                    setPast(null);
                  }}
                >
                  Back to today
                </button>
              </p>
            )}
            {shown ? (
              <BriefView
                brief={shown}
                now={now()}
                selectedId={selectedId}
                newIds={newIds}
                openedIds={opened}
                onSelect={setSelectedId}
                onOpen={markOpened}
                onJump={jump}
                onItemsShown={itemsShown}
                onGo={go}
                onVote={onVote}
                ask={<AskBox client={client} inputRef={askRef} onJump={jump} now={now} timezone={shown.timezone} />}
              />
            ) : (
              state.loaded &&
              (inSample ? (
                <SampleWaiting refresh={state.refresh} onRefresh={state.startRefresh} />
              ) : (
                <Welcome
                  refresh={state.refresh}
                  onRefresh={state.startRefresh}
                  onSetUp={setUp}
                  onTry={sample.enter}
                  trying={sample.switching}
                  tryError={sample.error}
                />
              ))
            )}
          </>
        )}
        {view === 'history' && (
          <>
            <h1 className="view-title">History</h1>
            <ErrorLine text={pastError} />
            <ViewBoundary name="History">
              <HistoryView client={client} latest={state.brief} onOpen={openDate} />
            </ViewBoundary>
          </>
        )}
        {view === 'settings' && (
          <>
            <h1 className="view-title">Settings</h1>
            {inSample && sample.mode?.canLeave ? (
              <SampleSettingsNote onSetUp={setUp} />
            ) : (
              <ViewBoundary name="Settings">
                <SettingsView client={client} onSaved={saved} />
              </ViewBoundary>
            )}
          </>
        )}
        {view === 'status' && (
          <ViewBoundary name="Status">
            <StatusView health={state.health} brief={state.brief} now={now()} />
          </ViewBoundary>
        )}
      </main>
      <Toast
        message={feedback.message}
        onDismiss={feedback.dismiss}
        onUndo={(itemId) => {
          feedback.send(itemId, 'undo');
        }}
      />
      <ShortcutsDialog
        open={helpOpen}
        onClose={() => {
          setHelpOpen(false);
        }}
      />
    </div>
  );
}
