import type { Brief } from '../client/types.ts';

/** Where the one button of an actionable notice goes. */
export type NoticeTarget = 'settings' | 'status';

export interface ActionableNotice {
  id: string;
  text: string;
  action: { label: string; target: NoticeTarget };
}

export interface SortedNotices {
  /** One friendly sentence each, for the reading view. */
  actionable: ActionableNotice[];
  /** Everything else (back ends, network errors, command hints): for the Status view only. */
  technical: string[];
}

/**
 * The brief's notices are written for the command line. The reading view shows only what a person can act on,
 * each said in its own words from the brief's data; the original text goes to Status, where details belong.
 */
export function sortNotices(brief: Brief): SortedNotices {
  const actionable: ActionableNotice[] = [];
  const technical: string[] = [];
  const active = brief.sources.filter((source) => source.status !== 'disabled');
  const nothingFetched = active.length > 0 && active.every((source) => source.status === 'error' && !source.itemCount);
  if (nothingFetched) {
    actionable.push({
      id: 'nothing-fetched',
      text: 'Nothing could be fetched this time: check that this computer is online, then refresh.',
      action: { label: 'See each source', target: 'status' },
    });
  }
  for (const notice of brief.notices) {
    if (/^Weather is for .+the default/i.test(notice)) {
      const place = brief.weather?.location;
      actionable.push({
        id: 'location',
        text: `The weather is for ${place ?? 'a default place'}. Set your own location for yours.`,
        action: { label: 'Set my location', target: 'settings' },
      });
    } else if (/^(No source could be reached|This is a sample day)/i.test(notice)) {
      // Said already: by the notice above, and by the sample day's banner over the whole app.
    } else {
      technical.push(notice);
    }
  }
  return { actionable, technical };
}
