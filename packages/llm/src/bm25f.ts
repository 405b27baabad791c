/**
 * A small BM25F index: documents of a fixed set of weighted fields, each field's term counts
 * normalised by its own length, summed with the field weights, then saturated once per term
 * (Robertson and Zaragoza, "The Probabilistic Relevance Framework: BM25 and Beyond", 2009).
 * Postings are kept per term, so a search touches only the documents that share a term with
 * the query, and the best `k` are picked without sorting every hit.
 */

/** Scoring parameters: `k1` the term-count saturation, `b` the length normalisation per field. */
export interface Bm25fParams {
  readonly weights: readonly number[];
  readonly b: readonly number[];
  readonly k1: number;
}

/** A scored document id. */
export interface Scored {
  readonly id: string;
  readonly score: number;
}

/** Bits of a field's term count in a posting (counts stop at 31: saturation has long set in). */
const BITS = 5;
const MAX_COUNT = (1 << BITS) - 1;
/** Fields a posting packs into one small integer (30 bits). */
const MAX_FIELDS = 6;

export class Bm25f {
  readonly #params: Bm25fParams;
  readonly #fields: number;
  /** term → (slot → term count per field, packed {@link BITS} bits a field). */
  readonly #postings = new Map<string, Map<number, number>>();
  readonly #ids: (string | undefined)[] = [];
  readonly #terms: (string[] | undefined)[] = [];
  readonly #lengths: (Float64Array | undefined)[] = [];
  readonly #slotOf = new Map<string, number>();
  readonly #free: number[] = [];
  readonly #totalLength: Float64Array;
  #scores = new Float64Array(0);

  constructor(params: Bm25fParams) {
    this.#params = params;
    this.#fields = params.weights.length;
    if (this.#fields > MAX_FIELDS) throw new RangeError(`Bm25f: at most ${MAX_FIELDS} fields`);
    this.#totalLength = new Float64Array(this.#fields);
  }

  get size(): number {
    return this.#slotOf.size;
  }

  has(id: string): boolean {
    return this.#slotOf.has(id);
  }

  /** Adds `id` with its fields' terms (one array per field), replacing what it had. */
  set(id: string, fields: readonly (readonly string[])[]): void {
    this.delete(id);
    const slot = this.#free.pop() ?? this.#ids.length;
    const lengths = new Float64Array(this.#fields);
    const terms: string[] = [];
    fields.forEach((words, f) => {
      lengths[f] = words.length;
      this.#totalLength[f] = (this.#totalLength[f] ?? 0) + words.length;
      for (const word of words) {
        let posting = this.#postings.get(word);
        if (posting === undefined) {
          posting = new Map();
          this.#postings.set(word, posting);
        }
        const counts = posting.get(slot);
        if (counts === undefined) terms.push(word);
        const shift = f * BITS;
        const count = ((counts ?? 0) >>> shift) & MAX_COUNT;
        posting.set(slot, (counts ?? 0) + (count < MAX_COUNT ? 1 << shift : 0));
      }
    });
    this.#ids[slot] = id;
    this.#terms[slot] = terms;
    this.#lengths[slot] = lengths;
    this.#slotOf.set(id, slot);
  }

  delete(id: string): void {
    const slot = this.#slotOf.get(id);
    if (slot === undefined) return;
    for (const word of this.#terms[slot] ?? []) {
      const posting = this.#postings.get(word);
      posting?.delete(slot);
      if (posting?.size === 0) this.#postings.delete(word);
    }
    const lengths = this.#lengths[slot];
    for (let f = 0; f < this.#fields; f += 1) this.#totalLength[f] = (this.#totalLength[f] ?? 0) - (lengths?.[f] ?? 0);
    this.#ids[slot] = undefined;
    this.#terms[slot] = undefined;
    this.#lengths[slot] = undefined;
    this.#slotOf.delete(id);
    this.#free.push(slot);
  }

  /** The `k` best documents for the query's terms, best first; ties in the order added. */
  search(queryTerms: readonly string[], k: number): Scored[] {
    const n = this.#slotOf.size;
    if (n === 0 || k <= 0) return [];
    if (this.#scores.length < this.#ids.length) this.#scores = new Float64Array(this.#ids.length * 2);
    const scores = this.#scores;
    const { weights, b, k1 } = this.#params;
    const norm = new Float64Array(this.#fields);
    for (let f = 0; f < this.#fields; f += 1) {
      const avg = (this.#totalLength[f] ?? 0) / n;
      norm[f] = avg > 0 ? (b[f] ?? 0) / avg : 0;
    }
    const touched: number[] = [];
    for (const word of new Set(queryTerms)) {
      const posting = this.#postings.get(word);
      if (posting === undefined) continue;
      const idf = Math.log(1 + (n - posting.size + 0.5) / (posting.size + 0.5));
      for (const [slot, counts] of posting) {
        const lengths = this.#lengths[slot] as Float64Array;
        let tf = 0;
        let rest = counts;
        for (let f = 0; rest > 0; f += 1) {
          const c = rest & MAX_COUNT;
          rest >>>= BITS;
          if (c !== 0) tf += ((weights[f] ?? 1) * c) / (1 - (b[f] ?? 0) + (norm[f] as number) * (lengths[f] as number));
        }
        if (scores[slot] === 0) touched.push(slot);
        scores[slot] = (scores[slot] as number) + (idf * tf * (k1 + 1)) / (k1 + tf);
      }
    }
    return this.#best(touched, k);
  }

  /** The `k` highest of the touched slots (and their scores reset for the next search). */
  #best(touched: readonly number[], k: number): Scored[] {
    const scores = this.#scores;
    const top: number[] = [];
    const better = (x: number, y: number): boolean =>
      (scores[x] as number) > (scores[y] as number) || (scores[x] === scores[y] && x < y);
    for (const slot of touched) {
      if (top.length === k && !better(slot, top[k - 1] as number)) continue;
      let i = top.length < k ? top.length : k - 1;
      while (i > 0 && better(slot, top[i - 1] as number)) {
        top[i] = top[i - 1] as number;
        i -= 1;
      }
      top[i] = slot;
    }
    const out = top.map((slot) => ({ id: this.#ids[slot] as string, score: scores[slot] as number }));
    for (const slot of touched) scores[slot] = 0;
    return out;
  }
}
