import { describe, expect, it } from 'vitest';
import { cleanText, sanitizeItem } from './sanitize.ts';
import type { Item } from './types.ts';

const hostile: Item = {
  id: 'rss:x',
  kind: 'news',
  source: 'rss',
  title: '\u001b]52;c;ZXZpbA==\u0007Hello\u001b[2J world\u202e',
  snippet: 'line one\nline two\u0000',
  body: 'x'.repeat(30_000),
  author: 'Mallory\r\nSet-Cookie: a=b',
  url: 'javascript:alert(1)',
  tags: ['ok', '\u001b[31mred'],
  meta: { location: 'Room\u001b[0m 4', score: 5 },
};

describe('sanitizeItem', () => {
  it('strips terminal escapes, NULs and bidi overrides, and keeps ordinary text', () => {
    const clean = sanitizeItem(hostile);
    expect(clean.title).toBe(']52;c;ZXZpbA==Hello[2J world');
    expect(clean.snippet).toBe('line one\nline two');
    expect(clean.author).toBe('Mallory Set-Cookie: a=b');
    expect(clean.tags).toEqual(['ok', '[31mred']);
    expect(clean.meta).toEqual({ location: 'Room[0m 4', score: 5 });
    const text = [clean.title, clean.snippet, clean.author, ...clean.tags, String(clean.meta?.location)].join('');
    // eslint-disable-next-line no-control-regex -- looking for control characters is the point
    expect(text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e]/);
  });

  it('bounds field sizes and drops links that are not http(s)', () => {
    const clean = sanitizeItem(hostile);
    expect(clean.body).toHaveLength(20_000);
    expect(clean.url).toBeUndefined();
    expect(sanitizeItem({ ...hostile, url: 'https://ok.example/a b' }).url).toBe('https://ok.example/a%20b');
    expect(cleanText('abcdef', 4)).toBe('abc…');
  });
});
