import { localTime } from '../core/time.ts';
import type { BridgeEvent } from './bridge.ts';

export interface BriefNotice {
  title: string;
  body: string;
  date: string;
}

const BODY_MAX = 160;

/**
 * The notification for a new brief, or nothing: not for a brief already announced, not for one the user asked
 * for from the window they are looking at, and not for the sample day's. Plain text only (markup is stripped),
 * and short, because the headline comes from untrusted mail and feeds.
 */
export function briefNotice(
  event: BridgeEvent,
  state: { lastNotifiedId: string | undefined; windowFocused: boolean },
): BriefNotice | undefined {
  // The sample day's briefs are made up: nothing to tell anyone about.
  if (event.type !== 'brief-ready' || event.sample) return undefined;
  const { briefId, date, dataAsOf, timezone, trigger, headline } = event;
  if (briefId === state.lastNotifiedId) return undefined;
  if (trigger === 'ui' && state.windowFocused) return undefined;
  const zone = timezone ?? 'UTC';
  const asOf = dataAsOf ? ` (data as of ${localTime(dataAsOf, zone)})` : '';
  // Some Linux notification servers render markup in the body: none of the headline's may get through.
  const text = (headline ?? '')
    .replace(/<[^>]*>/g, '')
    .replace(/[<>&]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  const body = text.length > BODY_MAX ? `${text.slice(0, BODY_MAX - 1)}…` : text;
  return { title: `Your brief for ${date} is ready${asOf}`, body: body || 'Open it to read it.', date };
}

/** The events after which a shown notification can do nothing more. */
const DONE_EVENTS = ['click', 'close', 'failed'] as const;

/**
 * Holds a shown notification until it is clicked, closed or failed. Electron keeps only a weak reference
 * to a Notification, so one held by nobody can be collected with its click handler (electron#16922).
 */
export function holdUntilDone<T extends { once(event: 'click' | 'close' | 'failed', listener: () => void): unknown }>(
  held: Set<T>,
  notification: T,
): T {
  held.add(notification);
  for (const event of DONE_EVENTS) {
    notification.once(event, () => held.delete(notification));
  }
  return notification;
}
