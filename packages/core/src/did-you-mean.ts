/** The Levenshtein distance between two words, case-insensitive. */
function distance(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  const row = Int32Array.from({ length: y.length + 1 }, (_, i) => i);
  for (let i = 1; i <= x.length; i += 1) {
    let diagonal = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= y.length; j += 1) {
      const above = row[j] ?? 0;
      row[j] = Math.min(above + 1, (row[j - 1] ?? 0) + 1, diagonal + (x[i - 1] === y[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[y.length] ?? 0;
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

/** ` (did you mean "x"?)` when a known word is close to `word`, else an empty string: for the end of a message. */
export function didYouMeanText(word: string, known: readonly string[], quote = '"'): string {
  const guess = didYouMean(word, known);
  return guess === undefined ? '' : ` (did you mean ${quote}${guess}${quote}?)`;
}
