import { describe, expect, it } from 'vitest';
import type { Item } from '../../core/types.ts';
import { claimsOf, groundBrief, itemSourceText, missingClaims } from './grounding.ts';
import type { LlmBrief } from './llm-output.ts';

const TZ = 'Europe/Berlin';
const items: Record<string, Item> = {
  'gmail:1': {
    id: 'gmail:1',
    kind: 'email',
    source: 'gmail',
    title: 'Northwind redlines',
    snippet: 'Can you confirm sections 4.2 and 7.1 before 3pm? Priya',
    author: 'Priya Raman',
    tags: [],
  },
  'calendar:1': {
    id: 'calendar:1',
    kind: 'event',
    source: 'calendar',
    title: 'Renewal review',
    snippet: 'Room 4B',
    start: '2026-12-01T10:00:00.000Z',
    tags: [],
  },
};
const source = (id: string) => (items[id] ? itemSourceText(items[id], TZ) : undefined);

describe('lines that say only what their sources say', () => {
  it('takes names, figures, times and dates as the claims, in any spelling of the time', () => {
    expect(claimsOf('Priya Raman needs sections 4.2 and 7.1 by 3 p.m. on Tuesday.').sort()).toEqual(
      ['15:00', '4.2', '7.1', 'raman', 'tuesday'].sort(),
    );
    // The first word of a sentence is capitalised anyway, so it is not taken for a name.
    expect(claimsOf('Confirm the redlines today.')).toEqual([]);
    expect(missingClaims(claimsOf('Priya’s redlines are due at 15:00.'), [source('gmail:1') ?? ''])).toEqual([]);
    expect(missingClaims(claimsOf('The review is on Tuesday at 11:00.'), [source('calendar:1') ?? ''])).toEqual([]);
  });

  it('keeps supported lines, re-cites one that cites the wrong item, and drops one nothing supports', () => {
    const output: LlmBrief = {
      tldr: [
        { text: 'Priya needs sections 4.2 and 7.1 confirmed by 15:00.', itemIds: ['gmail:1'] },
        { text: 'The renewal review is at 11:00 in Room 4B.', itemIds: ['gmail:1'] },
        { text: 'Marco Bianchi moved the launch to 14 December.', itemIds: ['gmail:1'] },
      ],
      summary: 'Priya sent the Northwind redlines. Acme shares fell 12% overnight.',
      actionItems: [],
      insights: [],
      whyItMatters: [{ itemId: 'calendar:1', text: 'Dana Reyes will join from Lisbon.' }],
    };
    const { output: grounded, stats } = groundBrief(output, source, ['gmail:1', 'calendar:1']);
    expect(grounded.tldr).toEqual([
      output.tldr[0],
      { text: 'The renewal review is at 11:00 in Room 4B.', itemIds: ['calendar:1'] },
    ]);
    expect(grounded.summary).toBe('Priya sent the Northwind redlines.');
    expect(grounded.whyItMatters).toEqual([]);
    expect(stats).toEqual({ checked: 6, recited: 1, dropped: 3 });
  });
});
