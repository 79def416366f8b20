import { useCallback, useEffect, useState } from 'react';
import { applyVote } from './brief/order.ts';
import { errorLine, type Brief, type BriefItem, type DailyBriefClient } from './client/types.ts';

export type FeedbackAction = 'up' | 'down' | 'mute' | 'undo';

export interface FeedbackMessage {
  text: string;
  itemId: string;
  error: boolean;
  /** False for an undo: there is nothing to take back. */
  undoable: boolean;
}

export interface FeedbackState {
  /** The last action in words, or its error; it goes after a few seconds. */
  message: FeedbackMessage | null;
  send: (itemId: string, action: FeedbackAction) => void;
  dismiss: () => void;
}

/** How long the confirmation stays: long enough to reach Undo, short enough not to linger. */
const SHOWN_MS = 8000;

function short(title: string): string {
  return title.length > 60 ? `${title.slice(0, 57)}…` : title;
}

/** The confirmation in the page's own words (the app's message is written for the command line). */
export function feedbackWords(item: BriefItem | undefined, action: FeedbackAction): string {
  const title = item ? `“${short(item.title)}”` : 'this';
  switch (action) {
    case 'up':
      return `More like ${title}.`;
    case 'down':
      return `Less like ${title}.`;
    case 'mute':
      if (item?.kind === 'event') return `Hidden: ${title}.`;
      return `Muted ${item?.kind === 'email' ? (item.author ?? item.origin ?? item.source) : (item?.origin ?? item?.source ?? 'this source')}.`;
    case 'undo':
      return 'Undone.';
  }
}

/** Votes show at once (optimistic), then the app's re-ranked brief takes over; a failure puts the old one back. */
export function useFeedback(
  client: DailyBriefClient,
  brief: Brief | null,
  setBrief: (brief: Brief | null) => void,
): FeedbackState {
  const [message, setMessage] = useState<FeedbackMessage | null>(null);
  useEffect(() => {
    if (!message) return;
    const timer = setTimeout(() => {
      setMessage(null);
    }, SHOWN_MS);
    return () => {
      clearTimeout(timer);
    };
  }, [message]);
  const send = useCallback(
    (itemId: string, requested: FeedbackAction) => {
      if (!brief) return;
      const current = brief.sections.flatMap((s) => s.items).find((i) => i.id === itemId);
      // Pressing the vote an item already has takes it back.
      const action = requested !== 'mute' && requested === current?.vote ? 'undo' : requested;
      setBrief(applyVote(brief, itemId, action));
      // Said at once, where the eye is; the app's answer only replaces it when it fails.
      setMessage({ text: feedbackWords(current, action), itemId, error: false, undoable: action !== 'undo' });
      client.feedback({ itemId, action }).then(
        (result) => {
          if (result.brief) setBrief(result.brief);
        },
        (failure: unknown) => {
          setBrief(brief);
          setMessage({ text: errorLine(failure), itemId, error: true, undoable: false });
        },
      );
    },
    [client, brief, setBrief],
  );
  const dismiss = useCallback(() => {
    setMessage(null);
  }, []);
  return { message, send, dismiss };
}
