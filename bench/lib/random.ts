/**
 * A seeded random generator for the benches: the same seed gives the same data, byte for byte. Each call to
 * createRandom has its own state, so each bench (or each part of one) seeds its own.
 */

export interface Random {
  /** A float in [0, 1). */
  random: () => number;
  /** An integer in [min, max], both included. */
  between: (min: number, max: number) => number;
  pick: <T>(list: readonly T[]) => T;
  /** `length` random lowercase hex digits. */
  hex: (length: number) => string;
  slug: (text: string) => string;
  /** Sentences drawn until the text is between min and max characters long. */
  prose: (sentences: readonly (() => string)[], min: number, max: number) => string;
}

/** Lowercase, runs of anything but letters and digits become one dash, no dash at either end. */
export function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

/** mulberry32 behind the helpers the benches draw their data with. */
export function createRandom(seed: number): Random {
  let state = seed >>> 0;
  const random = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
  const between = (min: number, max: number): number => min + Math.floor(random() * (max - min + 1));
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const hex = (length: number): string => Array.from({ length }, () => between(0, 15).toString(16)).join('');
  const prose = (sentences: readonly (() => string)[], min: number, max: number): string => {
    const target = between(min, max);
    let text = '';
    while (text.length < target) text += `${text ? ' ' : ''}${pick(sentences)()}`;
    return text.length > max ? `${text.slice(0, max - 1).trimEnd()}…` : text;
  };
  return { random, between, pick, hex, slug, prose };
}
