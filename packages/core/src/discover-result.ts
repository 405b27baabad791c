// A server's `server/discover` answer and its -32022 (unsupported protocol version) error, read the
// way the SDK v2's probe reads them (its 2026 `DiscoverResultSchema` and `parseSupportedList`): what
// decides the era must be well formed; cache hints and identity are lenient (a malformed one is
// dropped, not fatal). Everything is bounded: it comes from the server.
import type { Implementation, ServerCapabilities } from '@modelcontextprotocol/client';
import { boundJson } from './bounded-json.js';
import { META_SERVER_INFO } from './protocol-era.js';

/** A `server/discover` result, checked. */
export interface DiscoverInfo {
  /** The revisions the server speaks (at most 100 kept). */
  readonly supportedVersions: readonly string[];
  readonly capabilities: ServerCapabilities;
  /** From the result's `_meta` `io.modelcontextprotocol/serverInfo`; undefined when absent or malformed. */
  readonly serverInfo: Implementation | undefined;
  /** At most 64 KiB of it. */
  readonly instructions: string | undefined;
  /** How long the answer stays fresh; 0 when absent, negative or not an integer (the spec's rule). */
  readonly ttlMs: number;
  /** Whether a shared cache may keep it; `private` when absent or malformed. */
  readonly cacheScope: 'public' | 'private';
}

/** What {@link readDiscoverResult} found. */
export type DiscoverRead =
  { readonly ok: true; readonly discover: DiscoverInfo } | { readonly ok: false; readonly reason: string };

/** A -32022 error's `data`: what the server speaks and what it was asked for. */
export interface UnsupportedVersionData {
  /** Never empty; at most 100 kept. */
  readonly supported: readonly string[];
  readonly requested: string | undefined;
}

const MAX_VERSIONS = 100;
const MAX_VERSION_CHARS = 64;
const MAX_TEXT = 1024;
const MAX_INSTRUCTIONS = 64 * 1024;
/** Capabilities deeper or larger than this are not a server's capabilities. */
const CAPABILITY_BOUNDS = { maxDepth: 32, maxChars: 256 * 1024 } as const;
/** Capabilities the SDK's schema types as objects: anything else there makes the result malformed. */
const OBJECT_CAPABILITIES = ['experimental', 'logging', 'completions', 'prompts', 'resources', 'tools', 'extensions'];

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const cut = (s: string, max: number): string => (s.length > max ? s.slice(0, max) : s);

/** The strings of a version list, or undefined when it is not a list of strings. */
function versionList(value: unknown): string[] | undefined {
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) return undefined;
  return (value as string[]).slice(0, MAX_VERSIONS).map((v) => cut(v, MAX_VERSION_CHARS));
}

/** An `Implementation` with its strings bounded, or undefined when `name` or `version` is missing. */
function implementation(value: unknown): Implementation | undefined {
  if (!isObject(value) || typeof value.name !== 'string' || typeof value.version !== 'string') return undefined;
  const out: Implementation = { name: cut(value.name, MAX_TEXT), version: cut(value.version, MAX_TEXT) };
  for (const key of ['title', 'description', 'websiteUrl'] as const) {
    const text = value[key];
    if (typeof text === 'string') out[key] = cut(text, MAX_TEXT);
  }
  return out;
}

/**
 * Reads a `server/discover` result: `supportedVersions` (strings) and `capabilities` (an object,
 * bounded in depth and size) must be there, or the answer is not evidence of a 2026 server (the
 * SDK then falls back to `initialize`); `serverInfo`, `instructions`, `ttlMs` and `cacheScope` are
 * read leniently.
 */
export function readDiscoverResult(result: unknown): DiscoverRead {
  if (!isObject(result)) return { ok: false, reason: 'the result is not an object' };
  const supportedVersions = versionList(result.supportedVersions);
  if (supportedVersions === undefined) return { ok: false, reason: '"supportedVersions" is not a list of strings' };
  const capabilities = result.capabilities;
  if (!isObject(capabilities)) return { ok: false, reason: '"capabilities" is not an object' };
  const bad = OBJECT_CAPABILITIES.find((key) => capabilities[key] !== undefined && !isObject(capabilities[key]));
  if (bad !== undefined) return { ok: false, reason: `"capabilities.${bad}" is not an object` };
  if (boundJson(capabilities, CAPABILITY_BOUNDS).cut)
    return { ok: false, reason: '"capabilities" is too deep or too large' };
  const meta = result._meta;
  const ttl = result.ttlMs;
  return {
    ok: true,
    discover: {
      supportedVersions,
      capabilities: capabilities as ServerCapabilities,
      serverInfo: isObject(meta) ? implementation(meta[META_SERVER_INFO]) : undefined,
      instructions: typeof result.instructions === 'string' ? cut(result.instructions, MAX_INSTRUCTIONS) : undefined,
      ttlMs: typeof ttl === 'number' && Number.isSafeInteger(ttl) && ttl >= 0 ? ttl : 0,
      cacheScope: result.cacheScope === 'public' ? 'public' : 'private',
    },
  };
}

/**
 * Reads a -32022 error's `data`: `supported` must be a non-empty list of strings (else the error
 * says nothing actionable, and the SDK treats the server as a 2025 one); `requested` is kept when a
 * string.
 */
export function readUnsupportedVersion(data: unknown): UnsupportedVersionData | undefined {
  if (!isObject(data)) return undefined;
  const supported = versionList(data.supported);
  if (supported === undefined || supported.length === 0) return undefined;
  return {
    supported,
    requested: typeof data.requested === 'string' ? cut(data.requested, MAX_VERSION_CHARS) : undefined,
  };
}
