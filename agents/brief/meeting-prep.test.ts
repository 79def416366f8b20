import { describe, expect, it } from 'vitest';
import type { Brief, BriefItem, Item } from '../../core/types.ts';
import { prepareMeetings, relatedTo, type MemoryLookup } from './meeting-prep.ts';

const TZ = 'Europe/Berlin';
const NOW = new Date('2026-12-01T07:00:00.000Z');
const at = (hhmm: string, day = '2026-12-01') => new Date(`${day}T${hhmm}:00+01:00`).toISOString();

const review: BriefItem = {
  id: 'calendar:r',
  kind: 'event',
  source: 'calendar',
  title: 'Pricing review',
  snippet: '',
  score: 1,
  start: at('10:30'),
  end: at('11:30'),
  author: 'Dana Reyes <dana@acme.example>',
  meta: {
    organizer: 'dana@acme.example',
    attendees: [
      { email: 'me@acme.example', self: true },
      { email: 'dana@acme.example', name: 'Dana Reyes' },
      { email: 'li@acme.example', name: 'Li Wei' },
    ],
  },
};

function mail(id: string, from: string, title: string, extra: Partial<Item> = {}): Item {
  return {
    id,
    kind: 'email',
    source: 'gmail',
    title,
    snippet: '',
    author: from,
    publishedAt: at('18:00', '2026-11-30'),
    tags: [],
    ...extra,
  };
}

const emails = [
  mail('gmail:1', 'Dana Reyes <dana@acme.example>', 'Numbers for tomorrow'),
  mail('gmail:2', 'Shop <deals@shop.example>', 'Big sale'),
  mail('gmail:3', 'Sam <sam@acme.example>', 'Draft slides', { snippet: 'Slides for the pricing review attached.' }),
  mail('gmail:4', 'Me <me@acme.example>', 'Agenda', { meta: { to: ['li@acme.example'] } }),
  mail('gmail:5', 'Dana Reyes <dana@acme.example>', 'Pricing review prep', {
    publishedAt: at('09:00', '2026-11-20'),
  }),
];

describe('meetings prepared', () => {
  it('finds mail from and to the attendees and mail that names the meeting, at most three, saying why', async () => {
    const related = await relatedTo(review, { emails, now: NOW, timezone: TZ });
    expect(related).toEqual([
      {
        id: 'gmail:5',
        kind: 'email',
        title: 'Pricing review prep',
        why: 'email from Dana Reyes, about “Pricing review”',
      },
      { id: 'gmail:1', kind: 'email', title: 'Numbers for tomorrow', why: 'email from Dana Reyes this week' },
      { id: 'gmail:4', kind: 'email', title: 'Agenda', why: 'email to Li Wei this week' },
    ]);
  });

  it('adds what memory has that mentions the meeting or its people, and nothing it merely finds close', async () => {
    const memory: MemoryLookup = {
      search: () =>
        Promise.resolve([
          { itemId: 'rss:1', kind: 'news', title: 'Pricing review at rival', document: 'A pricing review elsewhere.' },
          { itemId: 'brief:x', kind: 'brief', title: 'Brief of 28 Nov', document: 'Li Wei shipped the beta.' },
          { itemId: 'rss:2', kind: 'news', title: 'Markets fall', document: 'Stocks fell.' },
        ]),
    };
    const related = await relatedTo(review, { emails: [], now: NOW, timezone: TZ, memory });
    expect(related.map((r) => [r.id, r.why])).toEqual([
      ['rss:1', 'mentions “Pricing review”'],
      ['brief:x', 'mentions Li Wei'],
    ]);
  });

  it('prepares only today’s timed meetings still to come', async () => {
    const allDay = { ...review, id: 'calendar:a', meta: { ...review.meta, allDay: true } };
    const over = { ...review, id: 'calendar:o', start: at('06:00'), end: at('07:00') };
    const brief = {
      sections: [{ kind: 'calendar', title: 'Today', items: [over, review, allDay] }],
    } as unknown as Brief;
    const prepared = await prepareMeetings(brief, { emails, now: NOW, timezone: TZ });
    expect(prepared.sections[0]?.items.map((i) => i.related?.length ?? 0)).toEqual([0, 3, 0]);
  });
});
