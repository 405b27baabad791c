import { stemmer } from 'stemmer';
import { Bm25f } from './bm25f.js';

/** A tool as the index reads it. */
export interface IndexedTool {
  /** Its name (the key results come back under). */
  readonly name: string;
  readonly description?: string | undefined;
  /** Its parameters' names and descriptions are read from here. */
  readonly inputSchema?: unknown;
  /** The server it is on. */
  readonly server?: string | undefined;
}

/** One search hit. */
export interface ToolHit {
  readonly name: string;
  readonly score: number;
}

/** Options for {@link ToolIndex}. */
export interface ToolIndexOptions {
  /**
   * Your embedder (OpenAI, Voyage, a local model): texts in, vectors out. With it,
   * {@link ToolIndex.searchHybrid} fuses its ranking with the lexical one (reciprocal rank fusion).
   * Tool embeddings are cached per tool text.
   */
  readonly embed?: ((texts: string[]) => Promise<number[][]>) | undefined;
}

interface Doc {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly params: string;
  readonly paramDescriptions: string;
  readonly server: string;
}

/** Words that say nothing about which tool fits. */
const STOPWORDS = new Set(
  [
    'a an and are as at be but by can could do does for from get give has have how i if in into is it its',
    'me my of on or our please show so tell that the their them then there these this to us use using',
    'want was we what when where which who why will with would you your',
  ]
    .join(' ')
    .split(' '),
);
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;

/**
 * Words of a tool catalog's text: names split on camelCase, snake_case, dots and dashes; any
 * script (letters and digits of every language); Chinese, Japanese and Korean runs as single
 * characters and pairs, since they have no spaces.
 */
export function toolWords(text: string): string[] {
  const spaced = text.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2');
  const out: string[] = [];
  for (const word of spaced.toLowerCase().split(/[^\p{L}\p{N}]+/u)) {
    if (word === '') continue;
    if (!CJK.test(word)) {
      out.push(word);
      continue;
    }
    const chars = [...word];
    out.push(...chars, ...chars.slice(1).map((c, i) => `${chars[i]}${c}`));
  }
  return out;
}

/** Words already stemmed (a catalog repeats its words; stemming is most of the indexing time). */
const STEMS = new Map<string, string | null>();
const STEMS_MAX = 50_000;

/** A word as the index keeps it: stopwords dropped, English words stemmed, others as they are. */
function term(word: string): string | null {
  let t = STEMS.get(word);
  if (t !== undefined) return t;
  t = STOPWORDS.has(word) ? null : /^[a-z]+$/.test(word) ? stemmer(word) : word;
  if (STEMS.size >= STEMS_MAX) STEMS.clear();
  STEMS.set(word, t);
  return t;
}

/** The index's terms of a text. */
function terms(text: string): string[] {
  const out: string[] = [];
  for (const word of toolWords(text)) {
    const t = term(word);
    if (t !== null) out.push(t);
  }
  return out;
}

/** The parameters' names and descriptions of an input schema, one level deep. */
function paramsOf(schema: unknown): { names: string; descriptions: string } {
  const props = (schema as { properties?: Record<string, { description?: unknown }> } | undefined)?.properties;
  if (typeof props !== 'object' || props === null) return { names: '', descriptions: '' };
  return {
    names: Object.keys(props).join(' '),
    descriptions: Object.values(props)
      .map((p) => (typeof p?.description === 'string' ? p.description : ''))
      .join(' '),
  };
}

function docOf(tool: IndexedTool): Doc {
  const params = paramsOf(tool.inputSchema);
  return {
    id: tool.name,
    name: tool.name,
    description: tool.description ?? '',
    params: params.names,
    paramDescriptions: params.descriptions,
    server: tool.server ?? '',
  };
}

const textOf = (d: Doc): string => [d.name, d.server, d.description, d.params, d.paramDescriptions].join('\n');
/** What an embedder reads of a tool: its name as words (`getWeather` → "get weather"), then the rest as prose. */
const embedTextOf = (d: Doc): string =>
  [
    toolWords(d.name).join(' '),
    d.description,
    d.params === '' ? '' : `Parameters: ${toolWords(d.params).join(', ')}. ${d.paramDescriptions}`,
    d.server === '' ? '' : `Server: ${d.server}.`,
  ]
    .filter((part) => part.trim() !== '')
    .join('\n');
const cosine = (a: readonly number[], b: readonly number[]): number => {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i += 1) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
};

/** The fields and their weights: a tool's name says most, its parameters' descriptions least. */
const FIELDS = ['name', 'description', 'params', 'paramDescriptions', 'server'] as const;
const WEIGHTS = [3, 1.2, 1.5, 0.5, 1];
/** Length normalisation per field. */
const B = [0.75, 0.75, 0.75, 0.75, 0.75];
const K1 = 1.2;
/** Reciprocal rank fusion's constant (the usual 60). */
const RRF_K = 60;

/**
 * A search index over tools, offline and dependency-light: BM25 over weighted fields (name,
 * description, parameter names and descriptions, server) with catalog-aware words and English
 * stemming, kept current one tool at a time, and optionally fused with your embeddings.
 */
export class ToolIndex {
  readonly #bm25 = new Bm25f({ weights: WEIGHTS, b: B, k1: K1 });
  readonly #texts = new Map<string, string>();
  /** The text each tool object was indexed with: an unchanged object is skipped without reading it again. */
  readonly #seen = new WeakMap<object, string>();
  readonly #embed: ToolIndexOptions['embed'];
  /** What the embedder reads of each tool, kept only when there is an embedder. */
  readonly #embedTexts = new Map<string, string>();
  readonly #vectors = new Map<string, { text: string; vector: number[] }>();

  constructor(tools: readonly IndexedTool[] = [], options: ToolIndexOptions = {}) {
    this.#embed = options.embed;
    this.update(tools);
  }

  /** How many tools are indexed. */
  get size(): number {
    return this.#texts.size;
  }

  /**
   * Brings the index to exactly `tools`: new ones added, changed ones re-indexed, gone ones
   * removed; a tool whose text did not change is not touched.
   */
  update(tools: readonly IndexedTool[]): void {
    const seen = new Set<string>();
    for (const tool of tools) {
      const known = this.#seen.get(tool);
      if (known !== undefined && this.#texts.get(tool.name) === known) {
        seen.add(tool.name);
        continue;
      }
      seen.add(tool.name);
      this.upsert(tool);
    }
    for (const id of [...this.#texts.keys()]) {
      if (seen.has(id)) continue;
      this.remove(id);
    }
  }

  /** Adds one tool, or re-indexes it when its text changed (no pass over the others). */
  upsert(tool: IndexedTool): void {
    const doc = docOf(tool);
    const text = textOf(doc);
    this.#seen.set(tool, text);
    const before = this.#texts.get(doc.id);
    if (before === text) return;
    this.#bm25.set(
      doc.id,
      FIELDS.map((field) => terms(doc[field])),
    );
    this.#texts.set(doc.id, text);
    if (this.#embed !== undefined) this.#embedTexts.set(doc.id, embedTextOf(doc));
  }

  /** Removes one tool by name. */
  remove(name: string): void {
    if (!this.#texts.has(name)) return;
    this.#bm25.delete(name);
    this.#texts.delete(name);
    this.#embedTexts.delete(name);
    this.#vectors.delete(name);
  }

  /** The `k` tools that fit `query` best, best first (lexical). */
  search(query: string, options: { k?: number | undefined } = {}): ToolHit[] {
    const k = options.k ?? 5;
    return this.#bm25.search(terms(query), k).map((r) => ({ name: r.id, score: r.score }));
  }

  /**
   * The lexical ranking fused with the embedding ranking (reciprocal rank fusion), when an
   * `embed` was given; the lexical ranking alone otherwise.
   */
  async searchHybrid(query: string, options: { k?: number | undefined } = {}): Promise<ToolHit[]> {
    const k = options.k ?? 5;
    if (this.#embed === undefined) return this.search(query, { k });
    const depth = Math.max(50, k * 5);
    const lexical = this.#bm25.search(terms(query), depth);
    await this.#embedMissing();
    const [queryVector] = await this.#embed([query]);
    const semantic = [...this.#vectors]
      .map(([id, v]) => ({ id, score: cosine(queryVector ?? [], v.vector) }))
      .sort((a, b) => b.score - a.score)
      .slice(0, depth);
    const fused = new Map<string, number>();
    const fuse = (ids: readonly string[]): void =>
      ids.forEach((id, rank) => fused.set(id, (fused.get(id) ?? 0) + 1 / (RRF_K + rank + 1)));
    fuse(lexical.map((r) => r.id));
    fuse(semantic.map((r) => r.id));
    return [...fused]
      .sort((a, b) => b[1] - a[1])
      .slice(0, k)
      .map(([name, score]) => ({ name, score }));
  }

  /** Embeds the tools whose text is new or changed since they were embedded. */
  async #embedMissing(): Promise<void> {
    const missing = [...this.#embedTexts].filter(([id, text]) => this.#vectors.get(id)?.text !== text);
    if (missing.length === 0 || this.#embed === undefined) return;
    const vectors = await this.#embed(missing.map(([, text]) => text));
    missing.forEach(([id, text], i) => this.#vectors.set(id, { text, vector: vectors[i] ?? [] }));
  }
}
