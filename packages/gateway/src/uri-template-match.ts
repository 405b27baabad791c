/**
 * Whether a URI fits an RFC 6570 URI template, in time linear in the URI (O(template × URI / 32)
 * at worst, never exponential): templates come from servers, URIs from clients, and both are
 * hostile input. A backtracking RegExp built from a template such as `{+a}{+b}…{+l}#never`
 * takes exponential time on a URI that does not fit; this matcher reads the URI once, keeping
 * the set of template positions reachable so far as a bit set (a Thompson NFA run bit-parallel,
 * as in the Shift-And algorithm).
 */

/** Templates longer than this fit no URI (a server's template is a short pattern). */
export const MAX_TEMPLATE_LENGTH = 1024;
/** URIs longer than this fit no template. */
export const MAX_URI_LENGTH = 8192;

/** What a compiled template's position reads: one given character, or a run of (maybe no) characters. */
const ANY_RUN = -1; // any text
const SEGMENT_RUN = -2; // text within one path segment
const SEGMENT_CHAR = -3; // one character within one path segment

/** The characters a simple expansion (`{x}`) never produces: it stays within one path segment. */
const SEGMENT_END = new Set(['/', '?', '#'].map((c) => c.codePointAt(0)));

const isRun = (step: number): boolean => step === ANY_RUN || step === SEGMENT_RUN;

/**
 * The template as steps (a code point, or one of the classes above), matched loosely: `{x}` is
 * one or more characters of one path segment; `{+x}`, `{#x}`, `{x*}` and the `/ . ; ? &`
 * operators any text. An unclosed `{` is a literal.
 */
function compile(template: string): number[] {
  const steps: number[] = [];
  const push = (step: number): void => {
    // Any text after a run is one run of any text (`.*.*` and `[^/]*.*` are `.*`), so no two
    // runs are ever adjacent: `{+a}{+b}…{+l}` is a single run.
    const last = steps.at(-1);
    if (step === ANY_RUN && last !== undefined && isRun(last)) steps[steps.length - 1] = ANY_RUN;
    else steps.push(step);
  };
  let at = 0;
  while (at < template.length) {
    const open = template.indexOf('{', at);
    const close = open < 0 ? -1 : template.indexOf('}', open);
    for (const char of template.slice(at, close < 0 ? template.length : open)) push(char.codePointAt(0) as number);
    if (close < 0) break;
    const expr = template.slice(open + 1, close);
    if (/^[+#/.;?&]/.test(expr) || expr.endsWith('*')) push(ANY_RUN);
    else {
      push(SEGMENT_CHAR);
      push(SEGMENT_RUN);
    }
    at = close + 1;
  }
  return steps;
}

/** A compiled template: per position, bit sets of what may be read there. */
interface Automaton {
  /** Positions (bits) including the final one. */
  readonly size: number;
  /** Positions that read a given code point. */
  readonly literal: Map<number, Uint32Array>;
  /** Positions that read any character. */
  readonly anyChar: Uint32Array;
  /** Positions that read a character within a path segment. */
  readonly segmentChar: Uint32Array;
  /** Positions that are runs: they stay where they are when they read, and may read nothing. */
  readonly run: Uint32Array;
}

const words = (bits: number): number => Math.ceil(bits / 32);
const setBit = (set: Uint32Array, i: number): void =>
  void (set[i >>> 5] = ((set[i >>> 5] as number) | (1 << (i & 31))) >>> 0);

function automaton(template: string): Automaton {
  const steps = compile(template);
  const size = steps.length + 1;
  const make = (): Uint32Array => new Uint32Array(words(size));
  const literal = new Map<number, Uint32Array>();
  const anyChar = make();
  const segmentChar = make();
  const run = make();
  steps.forEach((step, i) => {
    if (step >= 0) {
      let set = literal.get(step);
      if (set === undefined) literal.set(step, (set = make()));
      setBit(set, i);
      return;
    }
    setBit(step === ANY_RUN ? anyChar : segmentChar, i);
    if (isRun(step)) setBit(run, i);
  });
  return { size, literal, anyChar, segmentChar, run };
}

/** `to = from << 1` across words (bit i moves to i + 1), or-ed into `to`. */
function orShifted(to: Uint32Array, from: Uint32Array): void {
  let carry = 0;
  for (let w = 0; w < from.length; w += 1) {
    const word = from[w] as number;
    to[w] = ((to[w] as number) | (word << 1) | carry) >>> 0;
    carry = word >>> 31;
  }
}

/**
 * Whether `uri` fits the RFC 6570 `template` (level 1–4 expressions, matched loosely: `{x}` is one
 * path segment, `{+x}`, `{#x}` and `{x*}` any text). A template over {@link MAX_TEMPLATE_LENGTH}
 * or a URI over {@link MAX_URI_LENGTH} characters fits nothing.
 */
export function matchesTemplate(template: string, uri: string): boolean {
  if (template.length > MAX_TEMPLATE_LENGTH || uri.length > MAX_URI_LENGTH) return false;
  const { size, literal, anyChar, segmentChar, run } = automaton(template);
  const n = words(size);
  let now = new Uint32Array(n);
  let next = new Uint32Array(n);
  const scratch = new Uint32Array(n);
  setBit(now, 0);
  // A run may read nothing: whoever reaches it reaches the position after it too. No two runs
  // are adjacent (compile() merges them), so one shift reaches all.
  const skipRuns = (set: Uint32Array): void => {
    for (let w = 0; w < n; w += 1) scratch[w] = (set[w] as number) & (run[w] as number);
    orShifted(set, scratch);
  };
  skipRuns(now);
  const none = new Uint32Array(n);
  for (const char of uri) {
    const c = char.codePointAt(0) as number;
    const lit = literal.get(c) ?? none;
    const inSegment = !SEGMENT_END.has(c);
    let alive = 0;
    for (let w = 0; w < n; w += 1) {
      const fits = (lit[w] as number) | (anyChar[w] as number) | (inSegment ? (segmentChar[w] as number) : 0);
      const reading = (now[w] as number) & fits;
      next[w] = reading & (run[w] as number); // a run stays
      scratch[w] = reading & ~(run[w] as number); // anything else moves on
      alive |= reading;
    }
    if (alive === 0) return false;
    orShifted(next, scratch);
    skipRuns(next);
    [now, next] = [next, now];
  }
  const last = size - 1;
  return (((now[last >>> 5] as number) >>> (last & 31)) & 1) === 1;
}
