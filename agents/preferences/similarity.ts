/** How alike two items are: by their vectors when memory has them, by their shared telling terms otherwise. */

/** Cosine of two term sets, each term weighted by how telling it is. */
export function termCosine(a: string[], b: string[], weight: (term: string) => number = () => 1): number {
  if (!a.length || !b.length) return 0;
  const set = new Set(b);
  let shared = 0;
  let na = 0;
  let nb = 0;
  for (const term of a) {
    const w = weight(term) ** 2;
    na += w;
    if (set.has(term)) shared += w;
  }
  for (const term of b) nb += weight(term) ** 2;
  return na && nb ? shared / Math.sqrt(na * nb) : 0;
}

export function cosine(a: number[], b: number[]): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length && i < b.length; i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return na && nb ? dot / Math.sqrt(na * nb) : 0;
}
