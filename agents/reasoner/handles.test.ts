import { describe, expect, it } from 'vitest';
import { HandleBook, withinOneEdit } from './handles.ts';

function book() {
  const handles = new HandleBook();
  const ids = ['gmail:18c2f5a3b9d04e71', 'gmail:18c2f5a3b9d04e72', 'calendar:7g1k2m9q', 'rss:a1b2c3d4e5f6'];
  const kinds = ['email', 'email', 'event', 'news'] as const;
  ids.forEach((id, i) => handles.handleFor(id, kinds[i] ?? 'news'));
  for (let n = 0; n < 10; n++) handles.handleFor(`rss:more-${n}`, 'news');
  return { handles, shown: new Set([...ids, ...Array.from({ length: 10 }, (_, n) => `rss:more-${n}`)]) };
}

describe('HandleBook', () => {
  it('gives handles by kind, numbered in order shown, all of one length, and keeps them', () => {
    const { handles } = book();
    expect(handles.handleOf('gmail:18c2f5a3b9d04e71')).toBe('E01');
    expect(handles.handleOf('gmail:18c2f5a3b9d04e72')).toBe('E02');
    expect(handles.handleOf('calendar:7g1k2m9q')).toBe('C01');
    expect(handles.handleOf('rss:more-9')).toBe('N11');
    expect(handles.handleFor('gmail:18c2f5a3b9d04e71', 'email')).toBe('E01');
    expect(handles.peek('gmail:new', 'email')).toBe('E03');
    expect(handles.handleOf('gmail:new')).toBeUndefined();
  });

  it('looks an item up by handle (any case) or by its own id', () => {
    const { handles } = book();
    expect(handles.idFor('C01')).toBe('calendar:7g1k2m9q');
    expect(handles.idFor('c01')).toBe('calendar:7g1k2m9q');
    expect(handles.idFor('calendar:7g1k2m9q')).toBe('calendar:7g1k2m9q');
    expect(handles.idFor('C02')).toBeUndefined();
  });

  it.each([
    ['E01', 'gmail:18c2f5a3b9d04e71', 'exact'],
    ['gmail:18c2f5a3b9d04e71', 'gmail:18c2f5a3b9d04e71', 'exact'],
    ['e01', 'gmail:18c2f5a3b9d04e71', 'recovered'],
    [' [N11]. ', 'rss:more-9', 'recovered'],
    ['GMAIL:18C2F5A3B9D04E71', 'gmail:18c2f5a3b9d04e71', 'recovered'],
    ['rss:a1b2c3d4e6f6', 'rss:a1b2c3d4e5f6', 'recovered'],
    ['rss:a1b2c3d4e5f', 'rss:a1b2c3d4e5f6', 'recovered'],
    ['calendar:7g1k2m9', 'calendar:7g1k2m9q', 'recovered'],
  ])('resolves %j to %s (%s)', (cited, id, match) => {
    const { handles, shown } = book();
    expect(handles.resolve(cited, shown)).toEqual({ id, match });
  });

  it.each([
    // A dropped or added character never makes another valid handle: rejected, not misattributed.
    'E1',
    'N1',
    'E001',
    '01',
    'E',
    // One character off two shown ids at once: ambiguous.
    'gmail:18c2f5a3b9d04e7',
    // Not shown, though the book knows it.
    'N12',
    'gmail:does-not-exist',
    'ok',
  ])('rejects %j', (cited) => {
    const { handles, shown } = book();
    expect(handles.resolve(cited, shown)).toBeUndefined();
  });

  it('resolves a known handle only when its item was shown in this request', () => {
    const { handles } = book();
    expect(handles.resolve('E01', new Set(['gmail:18c2f5a3b9d04e72']))).toBeUndefined();
  });
});

describe('withinOneEdit', () => {
  it.each([
    ['abc', 'abc', true],
    ['abc', 'ab', true],
    ['abc', 'bc', true],
    ['abc', 'axc', true],
    ['abc', 'abcd', true],
    ['abc', 'a', false],
    ['abc', 'acb', false],
    ['abc', 'xyz', false],
  ])('%s / %s: %s', (a, b, expected) => {
    expect(withinOneEdit(a, b)).toBe(expected);
    expect(withinOneEdit(b, a)).toBe(expected);
  });
});
