/**
 * How a small model miscopies a citation: the fake's sloppy mode cites with these mistakes, one per
 * citation, so tests and bench:llm can show which the app recovers and which it rejects.
 */
export const MISTAKES = ['wrong case', 'dropped character', 'added character', 'swapped neighbours'] as const;
export type Mistake = (typeof MISTAKES)[number];

/** `at` in [0, 1) picks the position of the mistake, so a seeded generator makes it repeatable. */
export function miscopy(text: string, mistake: Mistake, at: number): string {
  if (!text) return text;
  const i = Math.min(text.length - 1, Math.floor(at * text.length));
  switch (mistake) {
    case 'wrong case': {
      const flipped = text === text.toLowerCase() ? text.toUpperCase() : text.toLowerCase();
      return flipped === text ? text : flipped;
    }
    case 'dropped character':
      return text.slice(0, i) + text.slice(i + 1);
    case 'added character':
      // Doubling a character is the commonest insertion in copied ids.
      return text.slice(0, i + 1) + text.slice(i);
    case 'swapped neighbours': {
      const j = Math.min(i, text.length - 2);
      if (j < 0) return text;
      return text.slice(0, j) + (text[j + 1] ?? '') + (text[j] ?? '') + text.slice(j + 2);
    }
  }
}
