// Pinned tool definitions: a fingerprint of what a server said a tool is, and a readable diff when it says
// something else later (a "rug pull": a benign description first, instructions to the model after).
import { createHash } from 'node:crypto';
import type { Tool } from '@universal-mcp/core';

/** The fields of a tool that a pin covers: everything the model reads or the client enforces. */
export type PinnedDefinition = Readonly<Record<string, unknown>>;

const PINNED_FIELDS = ['name', 'title', 'description', 'inputSchema', 'outputSchema', 'annotations'] as const;
/** Each value in a diff line is cut to this many characters. */
const MAX_VALUE_CHARS = 200;
/** A diff has at most this many lines (the last says how many were left out). */
const MAX_DIFF_LINES = 40;
/** Deeper than this, a subtree is compared as a whole (a hostile schema cannot exhaust the stack). */
const MAX_DEPTH = 64;

/** The pinned fields of `tool`, undefined ones left out. */
export function definitionOf(tool: Tool): PinnedDefinition {
  const out: Record<string, unknown> = {};
  for (const field of PINNED_FIELDS) {
    const value = (tool as Record<string, unknown>)[field];
    if (value !== undefined) out[field] = value;
  }
  return out;
}

/** JSON with every object's keys sorted, so that equal definitions give equal text. */
export function canonicalJson(value: unknown, depth = 0): string {
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v ?? null, depth + 1)).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    if (depth > MAX_DEPTH) return JSON.stringify('[too deep]');
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v, depth + 1)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** The sha256 (hex) of a definition's canonical JSON. */
export function fingerprint(definition: PinnedDefinition): string {
  return createHash('sha256').update(canonicalJson(definition)).digest('hex');
}

const cut = (text: string): string => (text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS - 1)}…` : text);
const shown = (value: unknown): string => (value === undefined ? '(none)' : cut(canonicalJson(value)));
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const step = (path: string, key: string | number): string =>
  typeof key === 'number' ? `${path}[${key}]` : path === '' ? key : `${path}.${key}`;

interface Changes {
  readonly added: string[];
  readonly removed: string[];
  readonly changed: { path: string; before: unknown; after: unknown }[];
}

function compare(a: unknown, b: unknown, path: string, depth: number, out: Changes): void {
  const bothArrays = Array.isArray(a) && Array.isArray(b);
  if (depth < MAX_DEPTH && (bothArrays || (isObject(a) && isObject(b)))) {
    const left = a as Record<string | number, unknown>;
    const right = b as Record<string | number, unknown>;
    const keys = bothArrays
      ? Array.from({ length: Math.max((a as unknown[]).length, (b as unknown[]).length) }, (_, i) => i)
      : [...new Set([...Object.keys(left), ...Object.keys(right)])].sort();
    for (const key of keys) {
      // Own properties only: a key named `constructor` or `__proto__` must not find Object.prototype's.
      const inLeft = Object.hasOwn(left, key) && left[key] !== undefined;
      const inRight = Object.hasOwn(right, key) && right[key] !== undefined;
      if (!inLeft && inRight) out.added.push(step(path, key));
      else if (inLeft && !inRight) out.removed.push(step(path, key));
      else if (inLeft) compare(left[key], right[key], step(path, key), depth + 1, out);
    }
    return;
  }
  if (canonicalJson(a) !== canonicalJson(b)) out.changed.push({ path, before: a, after: b });
}

/**
 * One line per changed field: `description: "old" → "new"` for a text field; for a schema or the
 * annotations, a line naming what was added and removed (`inputSchema: +properties.x, -required[0]`)
 * and a line per value that changed (`inputSchema.properties.url.description: "a" → "b"`). Bounded:
 * each value cut to 200 characters, at most 40 lines.
 */
export function describeChange(before: PinnedDefinition, after: PinnedDefinition): string {
  const lines: string[] = [];
  for (const field of PINNED_FIELDS) {
    const a = before[field];
    const b = after[field];
    if (canonicalJson(a) === canonicalJson(b)) continue;
    if (!isObject(a) || !isObject(b)) {
      lines.push(`${field}: ${shown(a)} → ${shown(b)}`);
      continue;
    }
    const changes: Changes = { added: [], removed: [], changed: [] };
    compare(a, b, '', 0, changes);
    const structure = [...changes.added.map((p) => `+${p}`), ...changes.removed.map((p) => `-${p}`)];
    if (structure.length > 0) lines.push(cut(`${field}: ${structure.join(', ')}`));
    for (const c of changes.changed) lines.push(`${cut(`${field}.${c.path}`)}: ${shown(c.before)} → ${shown(c.after)}`);
  }
  if (lines.length <= MAX_DIFF_LINES) return lines.join('\n');
  const left = lines.length - (MAX_DIFF_LINES - 1);
  return [...lines.slice(0, MAX_DIFF_LINES - 1), `… ${left} more changes`].join('\n');
}
