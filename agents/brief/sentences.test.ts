import { describe, expect, it } from 'vitest';
import type { BriefItem, Item } from '../../core/types.ts';
import { extractActionItems, findDeadline } from './actions.ts';
import { calendarSentence, emailSentence, leadSentence, newsSentence } from './sentences.ts';

const TZ = 'Europe/Berlin';
const NOW = new Date('2026-12-01T07:00:00.000Z'); // Tuesday 08:00 in Berlin
const at = (hhmm: string, day = '2026-12-01') => new Date(`${day}T${hhmm}:00+01:00`).toISOString();

function event(id: string, title: string, start: string, end: string, meta: Record<string, unknown> = {}): BriefItem {
  return { id, kind: 'event', source: 'calendar', title, snippet: '', score: 1, start, end, meta };
}

function mail(id: string, extra: Partial<Item> = {}): Item {
  return {
    id,
    kind: 'email',
    source: 'gmail',
    title: 'Contract',
    snippet: '',
    author: 'Dana Reyes <dana@acme.example>',
    publishedAt: at('07:30'),
    tags: [],
    ...extra,
  };
}

describe('TL;DR sentences', () => {
  it('names the next timed meeting and how soon it is, never an all-day entry while a meeting is coming', () => {
    const holiday = event('calendar:h', 'Company holiday', at('00:00'), at('00:00', '2026-12-02'), { allDay: true });
    const review = event('calendar:r', 'Design review', at('10:30'), at('11:30'), { location: 'Room 2' });
    const standup = event('calendar:s', 'Stand-up', at('07:30'), at('07:45'));
    expect(calendarSentence([holiday, standup, review], NOW, TZ)).toEqual({
      text: 'Next: Design review at 10:30, in 2 h 30 min (Room 2); 3 events today.',
      itemIds: ['calendar:r'],
    });
    // Once the meetings are over, the all-day entry is what is left.
    const evening = new Date('2026-12-01T15:00:00.000Z');
    expect(calendarSentence([holiday, standup, review], evening, TZ)?.text).toBe(
      'Today: Company holiday, all day; 3 events today.',
    );
  });

  it('says a meeting under way is under way', () => {
    const call = event('calendar:c', 'Call', at('07:50'), at('08:30'));
    expect(calendarSentence([call], NOW, TZ)?.text).toBe('Next: Call at 07:50, under way; 1 event today.');
  });

  it('gives the sender and the ask of an email, and the lead of a story', () => {
    const ask: BriefItem = {
      ...mail('gmail:1', { snippet: 'Hi! Hope you are well. Could you send me the signed copy by Friday? Thanks.' }),
      score: 1,
    };
    expect(emailSentence(ask)).toBe('Dana Reyes asks: Could you send me the signed copy by Friday?');
    const note: BriefItem = { ...mail('gmail:2', { snippet: 'The numbers for the third quarter are in.' }), score: 1 };
    expect(emailSentence(note)).toBe('Dana Reyes on “Contract”: The numbers for the third quarter are in.');
    const story: BriefItem = {
      id: 'rss:1',
      kind: 'news',
      source: 'rss',
      origin: 'Ars Technica',
      title: 'Probe reaches Mars orbit',
      snippet: 'The orbiter fired its engine for 27 minutes on Monday night. It will map the poles.',
      score: 1,
      alsoFrom: [{ id: 'rss:2', title: 'Mars probe in orbit' }],
    };
    expect(newsSentence(story)).toBe(
      'Probe reaches Mars orbit: The orbiter fired its engine for 27 minutes on Monday night. (Ars Technica, also in 1 more)',
    );
    expect(leadSentence('example.com')).toBeUndefined();
  });

  it('keeps a news bullet to a glance: a long lead is cut at a clause, never mid-word', () => {
    const story: BriefItem = {
      id: 'rss:3',
      kind: 'news',
      source: 'rss',
      origin: 'Market Wire',
      title: 'Central bank holds rates, signals two cuts next year',
      snippet:
        'Policymakers kept the benchmark rate unchanged at 4.25% and pencilled in two quarter-point cuts for next year as inflation eased to 2.4%. Markets rose.',
      score: 1,
    };
    const bullet = newsSentence(story);
    expect(bullet).toBe(
      'Central bank holds rates, signals two cuts next year: Policymakers kept the benchmark rate unchanged at 4.25%. (Market Wire)',
    );
    // A lead with no clause to cut at within the room: the title says it alone.
    const run = { ...story, snippet: `${'Supercalifragilistic '.repeat(12)}ends here.` };
    expect(newsSentence(run)).toBe('Central bank holds rates, signals two cuts next year (Market Wire)');
  });
});

describe('action items without a model', () => {
  it('resolves a request’s date in the user’s zone, relative to when the email was sent', () => {
    const sign = mail('gmail:1', { snippet: 'Thanks for the call. Please get the contract signed by Friday.' });
    expect(findDeadline(sign, TZ, NOW)).toMatchObject({ due: '2026-12-04', stated: 'Friday' });
    const call = mail('gmail:2', { title: 'Slides', snippet: 'Can you share the slides before our 2pm call?' });
    expect(findDeadline(call, TZ, NOW)?.due).toBe('2026-12-01 14:00');
    // 23:30 UTC on Monday is already Tuesday in Berlin: "tomorrow" is Wednesday.
    const late = mail('gmail:3', {
      snippet: 'Please review the draft tomorrow at 9am.',
      publishedAt: '2026-11-30T23:30:00.000Z',
    });
    expect(findDeadline(late, TZ, NOW)?.due).toBe('2026-12-02 09:00');
    const eod = mail('gmail:4', { snippet: 'I need the figures by EOD.' });
    expect(findDeadline(eod, TZ, NOW)?.due).toBe('2026-12-01 17:00');
  });

  it('ignores dates that are history, mail that is marketing, and sentences that ask for nothing', () => {
    const agreed = mail('gmail:1', { snippet: 'As agreed last Monday, please send the report.' });
    expect(findDeadline(agreed, TZ, NOW)).toBeUndefined();
    expect(findDeadline(mail('gmail:2', { snippet: 'We met on Friday and it went well.' }), TZ, NOW)).toBeUndefined();
    const promo = mail('gmail:3', { snippet: 'Order by Friday to save 30%.', tags: ['CATEGORY_PROMOTIONS'] });
    expect(findDeadline(promo, TZ, NOW)).toBeUndefined();
  });

  it('lists the actions by due date, each citing its email', () => {
    const actions = extractActionItems(
      [
        mail('gmail:1', { snippet: 'Please get the contract signed by Friday.' }),
        mail('gmail:2', { snippet: 'Can you share the slides before our 2pm call?' }),
        mail('gmail:3', { snippet: 'Lovely weather today.' }),
      ],
      TZ,
      NOW,
    );
    expect(actions).toEqual([
      { text: 'Can you share the slides before our 2pm call?', itemIds: ['gmail:2'], due: '2026-12-01 14:00' },
      { text: 'Please get the contract signed by Friday.', itemIds: ['gmail:1'], due: '2026-12-04' },
    ]);
  });
});
