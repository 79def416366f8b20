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

/**
 * The fake writer's sloppy mode: in a JSON brief, each cited id (in `itemIds` and `itemId`) is
 * miscopied with one mistake with probability `share`. `random` is a seeded generator in [0, 1).
 */
export function sloppyCitations(
  json: string,
  random: () => number,
  share = 0.5,
): { json: string; cited: number; miscopied: number } {
  let cited = 0;
  let miscopied = 0;
  const out = json.replace(/"(itemIds|itemId)":(\[[^\]]*\]|"[^"]*")/g, (_, key: string, value: string) => {
    const copied = value.replace(/"([^"]+)"/g, (_m, id: string) => {
      cited++;
      if (random() >= share) return `"${id}"`;
      miscopied++;
      const mistake = MISTAKES[Math.floor(random() * MISTAKES.length)] ?? 'wrong case';
      return `"${miscopy(id, mistake, random())}"`;
    });
    return `"${key}":${copied}`;
  });
  return { json: out, cited, miscopied };
}
