/** The Levenshtein distance between two words, case-insensitive. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i += 1) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j += 1) {
      const here = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1]!.toLowerCase() === b[j - 1]!.toLowerCase() ? 0 : 1));
      prev = here;
    }
  }
  return row[b.length]!;
}

/** The known word closest to a mistyped one, when one is close (a third of its letters, at least two, may differ). */
export function didYouMean(word: string, known: readonly string[]): string | undefined {
  let best: { k: string; d: number } | undefined;
  for (const k of known) {
    const d = distance(word, k);
    if (best === undefined || d < best.d) best = { k, d };
  }
  return best !== undefined && best.d <= Math.max(2, Math.floor(word.length / 3)) ? best.k : undefined;
}
