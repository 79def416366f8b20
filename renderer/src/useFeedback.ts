import { useCallback, useState } from 'react';
import { applyVote } from './brief/order.ts';
import { errorLine, type Brief, type DailyBriefClient } from './client/types.ts';

export type FeedbackAction = 'up' | 'down' | 'mute' | 'undo';

export interface FeedbackState {
  /** The app's one-line answer to the last action, or its error. */
  message: { text: string; itemId: string; error: boolean } | null;
  send: (itemId: string, action: FeedbackAction) => void;
}

/** Votes show at once (optimistic), then the app's re-ranked brief takes over; a failure puts the old one back. */
export function useFeedback(
  client: DailyBriefClient,
  brief: Brief | null,
  setBrief: (brief: Brief | null) => void,
): FeedbackState {
  const [message, setMessage] = useState<FeedbackState['message']>(null);
  const send = useCallback(
    (itemId: string, requested: FeedbackAction) => {
      if (!brief) return;
      const current = brief.sections.flatMap((s) => s.items).find((i) => i.id === itemId);
      // Pressing the vote an item already has takes it back.
      const action = requested !== 'mute' && requested === current?.vote ? 'undo' : requested;
      setBrief(applyVote(brief, itemId, action));
      client.feedback({ itemId, action }).then(
        (result) => {
          if (result.brief) setBrief(result.brief);
          setMessage({ text: result.message, itemId, error: false });
        },
        (failure: unknown) => {
          setBrief(brief);
          setMessage({ text: errorLine(failure), itemId, error: true });
        },
      );
    },
    [client, brief, setBrief],
  );
  return { message, send };
}
