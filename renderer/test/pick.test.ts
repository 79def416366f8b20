// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { pickClient } from '../src/client/pick.ts';
import type { DailyBriefClient } from '../src/client/types.ts';

afterEach(() => {
  delete window.dailyBrief;
  window.sessionStorage.clear();
  window.history.replaceState(null, '', '/');
});

describe('choosing the client', () => {
  it('uses the desktop preload when there is one', () => {
    const preload = { onEvent: () => () => undefined } as unknown as DailyBriefClient;
    window.dailyBrief = preload;
    expect(pickClient(window)).toBe(preload);
  });

  it('otherwise moves the token from the URL fragment into this tab’s storage and keeps the rest of the URL', () => {
    window.history.replaceState(null, '', '/?view=x#token=abc123');
    expect(pickClient(window)).toBeDefined();
    expect(window.location.search).toBe('?view=x');
    expect(window.location.hash).toBe('');
    expect(window.sessionStorage.getItem('daily-brief-token')).toBe('abc123');
    // A reload (no token in the URL any more) still has it.
    expect(pickClient(window)).toBeDefined();
    expect(window.sessionStorage.getItem('daily-brief-token')).toBe('abc123');
  });

  it('gives no client on the bare address (the page then says how to get in), and ignores a token in the query', () => {
    expect(pickClient(window)).toBeUndefined();
    window.history.replaceState(null, '', '/?token=abc123');
    expect(pickClient(window)).toBeUndefined();
  });
});
