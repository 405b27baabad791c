import MiniSearch from 'minisearch';
import { stemmer } from 'stemmer';

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
  id: string;
  name: string;
  description: string;
  params: string;
  paramDescriptions: string;
  server: string;
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

/** A word as the index keeps it: stopwords dropped, English words stemmed, others as they are. */
function term(word: string): string | null {
  if (STOPWORDS.has(word)) return null;
  return /^[a-z]+$/.test(word) ? stemmer(word) : word;
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
const BOOST = { name: 3, description: 1.2, params: 1.5, paramDescriptions: 0.5, server: 1 };
/** Reciprocal rank fusion's constant (the usual 60). */
const RRF_K = 60;

/**
 * A search index over tools, offline and dependency-light: BM25 over weighted fields (name,
 * description, parameter names and descriptions, server) with catalog-aware words and English
 * stemming, kept current one tool at a time, and optionally fused with your embeddings.
 */
export class ToolIndex {
  readonly #search: MiniSearch<Doc>;
  readonly #texts = new Map<string, string>();
  /** The text each tool object was indexed with: an unchanged object is skipped without reading it again. */
  readonly #seen = new WeakMap<object, string>();
  readonly #embed: ToolIndexOptions['embed'];
  readonly #vectors = new Map<string, { text: string; vector: number[] }>();

  constructor(tools: readonly IndexedTool[] = [], options: ToolIndexOptions = {}) {
    this.#embed = options.embed;
    this.#search = new MiniSearch<Doc>({
      fields: ['name', 'description', 'params', 'paramDescriptions', 'server'],
      tokenize: toolWords,
      processTerm: term,
      searchOptions: { boost: BOOST, combineWith: 'OR' },
    });
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
      this.#search.discard(id);
      this.#texts.delete(id);
      this.#vectors.delete(id);
    }
  }

  /** Adds one tool, or re-indexes it when its text changed (no pass over the others). */
  upsert(tool: IndexedTool): void {
    const doc = docOf(tool);
    const text = textOf(doc);
    this.#seen.set(tool, text);
    const before = this.#texts.get(doc.id);
    if (before === text) return;
    if (before === undefined) this.#search.add(doc);
    else this.#search.replace(doc);
    this.#texts.set(doc.id, text);
  }

  /** Removes one tool by name. */
  remove(name: string): void {
    if (!this.#texts.has(name)) return;
    this.#search.discard(name);
    this.#texts.delete(name);
    this.#vectors.delete(name);
  }

  /** The `k` tools that fit `query` best, best first (lexical). */
  search(query: string, options: { k?: number | undefined } = {}): ToolHit[] {
    const k = options.k ?? 5;
    return this.#search
      .search(query)
      .slice(0, k)
      .map((r) => ({ name: String(r.id), score: r.score }));
  }

  /**
   * The lexical ranking fused with the embedding ranking (reciprocal rank fusion), when an
   * `embed` was given; the lexical ranking alone otherwise.
   */
  async searchHybrid(query: string, options: { k?: number | undefined } = {}): Promise<ToolHit[]> {
    const k = options.k ?? 5;
    if (this.#embed === undefined) return this.search(query, { k });
    const depth = Math.max(50, k * 5);
    const lexical = this.#search.search(query).slice(0, depth);
    await this.#embedMissing();
    const [queryVector] = await this.#embed([query]);
    const semantic = [...this.#vectors]
      .map(([id, v]) => ({ id, score: cosine(queryVector ?? [], v.vector) }))
      .sort((a, b) => b.score - a.score)
      .slice(0, depth);
    const fused = new Map<string, number>();
    const fuse = (ids: readonly string[]): void =>
      ids.forEach((id, rank) => fused.set(id, (fused.get(id) ?? 0) + 1 / (RRF_K + rank + 1)));
    fuse(lexical.map((r) => String(r.id)));
    fuse(semantic.map((r) => r.id));
    return [...fused]
      .sort((a, b) => b[1] - a[1])
      .slice(0, k)
      .map(([name, score]) => ({ name, score }));
  }

  /** Embeds the tools whose text is new or changed since they were embedded. */
  async #embedMissing(): Promise<void> {
    const missing = [...this.#texts].filter(([id, text]) => this.#vectors.get(id)?.text !== text);
    if (missing.length === 0 || this.#embed === undefined) return;
    const vectors = await this.#embed(missing.map(([, text]) => text));
    missing.forEach(([id, text], i) => this.#vectors.set(id, { text, vector: vectors[i] ?? [] }));
  }
}
