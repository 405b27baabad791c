import { EventEmitter } from 'eventemitter3';
import { describeExit, toolApp, visibleToModel, type ProcessExit } from '@universal-mcp/core';
import { jsonText } from '@universal-mcp/core/internal';
import type {
  CallEndEvent,
  ServerGivenUpEvent,
  ServerInputRequiredEvent,
  ServerLogEvent,
  ServerRestartingEvent,
  ServerStateEvent,
  UniversalMcpClient,
} from '@universal-mcp/supervisor';

/** The most of one server log message kept in the tail (a server decides what it sends). */
const LOG_CHARS = 8 * 1024;

/** The most of one error message, tool description or catalog text kept (a server wrote it). */
const TEXT_CHARS = 1000;
/** The most entries a server's error and restart lists keep. */
const HISTORY = 50;
/** The most tools, resources, templates and prompts the catalog of one server answers with. */
const CATALOG_ITEMS = 500;

/** `text` cut to `max` characters, saying how much was cut. */
function cut(text: string, max = TEXT_CHARS): string {
  return text.length > max ? `${text.slice(0, max)}… [cut: ${text.length - max} more characters]` : text;
}

/** A server's log data as one line of the tail: cut to {@link LOG_CHARS}, never too deep to write. */
function logText(data: unknown): string {
  return cut(typeof data === 'string' ? data : jsonText(data, { maxDepth: 16, maxChars: LOG_CHARS }), LOG_CHARS);
}

/** One entry of a server's timeline. */
export interface TimelineEntry {
  readonly at: number;
  readonly kind: 'state' | 'restart' | 'given-up' | 'input-required';
  readonly text: string;
}

/** A failure of a server: a call that rejected, a connection attempt that ended, the supervisor giving up. */
export interface ErrorEntry {
  readonly at: number;
  /** Where it happened. */
  readonly source: 'call' | 'connection' | 'given-up';
  /** The error's code (`TIMEOUT`, `SERVER_UNAVAILABLE`, …). */
  readonly code: string;
  /** Its message, cut to 1000 characters. */
  readonly message: string;
  /** The tool, for a call. */
  readonly tool?: string | undefined;
}

/** A restart of a server and why. */
export interface RestartEntry {
  readonly at: number;
  /** The connection attempt it starts (2 for the first restart). */
  readonly attempt: number;
  /** The backoff before it, ms. */
  readonly delayMs: number;
  /** Why: the code of what ended the last attempt, or `REQUESTED` for a restart asked for. */
  readonly code: string;
  /** The error's message, with how the process ended when it did (`process killed by SIGKILL`). */
  readonly reason: string;
}

/** A server as the fleet view shows it. */
export interface ServerCard {
  readonly name: string;
  readonly state: string;
  readonly transport: string;
  /** The MCP era of the connection (of the last one while restarting): `2026-07-28` or `2025-11-25`. */
  readonly era: string | undefined;
  /** The exact revision it agreed on (in the 2025 era, what `initialize` settled). */
  readonly protocolVersion: string | undefined;
  readonly givenUp: boolean;
  readonly connectedAt: number | undefined;
  readonly restarts: number;
  readonly pid: number | undefined;
  readonly sessionId: string | undefined;
  readonly pending: number;
  readonly queued: number;
  /** The tools offered (the policy's, not denied, held or blocked). */
  readonly tools: number;
  /** Calls per second over the last 10 s. */
  readonly callsPerSecond: number;
  /** Latency of the last 200 calls, ms. */
  readonly p50: number | undefined;
  readonly p99: number | undefined;
  /** Calls per second, each second of the last 60 (oldest first). */
  readonly rate: readonly number[];
  /** The median latency (ms) of each second of the last 60; null for a second without calls. */
  readonly latency: readonly (number | null)[];
  /** When the last of those seconds ended (ms since the epoch). */
  readonly until: number;
  readonly lastError: string | undefined;
}

/** A server in detail: its card, timeline, failures, restarts, stderr and log tails, and catalog counts. */
export interface ServerDetail extends ServerCard {
  readonly timeline: readonly TimelineEntry[];
  /** The last 50 failures, oldest first. */
  readonly errors: readonly ErrorEntry[];
  /** The last 50 restarts, oldest first (`restarts` counts them all). */
  readonly restartHistory: readonly RestartEntry[];
  readonly stderr: readonly string[];
  readonly logs: readonly string[];
  readonly version: string | undefined;
  /** The capabilities the server declared (`tools`, `resources`, `logging`, …). */
  readonly capabilities: readonly string[];
  /** The names of the tools offered. */
  readonly toolNames: readonly string[];
  readonly resources: number;
  readonly prompts: number;
}

/** A tool of a server's catalog, as the dashboard lists it. */
export interface CatalogTool {
  readonly name: string;
  readonly title: string | undefined;
  /** Cut to 1000 characters. */
  readonly description: string;
  /** The names of its arguments, the required ones marked `*`. */
  readonly arguments: readonly string[];
  /** It ships an MCP App (`_meta.ui.resourceUri`). */
  readonly app: boolean;
  /** Only its App may call it: it is never offered to a model. */
  readonly appOnly: boolean;
  /** A call needs a person's approval (the tool policy). */
  readonly needsApproval: boolean;
}

/**
 * What a server offers, for its detail view: the offered tools, resources, templates and prompts,
 * at most 500 of each (`truncated` says when there were more), texts cut.
 */
export interface ServerCatalog {
  readonly tools: readonly CatalogTool[];
  readonly resources: readonly { uri: string; name: string; mimeType: string | undefined }[];
  readonly templates: readonly { uriTemplate: string; name: string }[];
  readonly prompts: readonly {
    name: string;
    description: string;
    arguments: readonly { name: string; description: string; required: boolean }[];
  }[];
  readonly truncated: boolean;
}

/** What the fleet keeps of each server beyond what the client knows. */
interface Track {
  readonly timeline: TimelineEntry[];
  readonly logs: string[];
  readonly errors: ErrorEntry[];
  readonly restarts: RestartEntry[];
  /** How the process ended, from the `failed` transition, until the restart that follows says so. */
  exit?: ProcessExit | undefined;
  /** Call end times and durations (ms), the last 200. */
  readonly calls: { at: number; ms: number }[];
}

const keep = <T>(list: T[], item: T, max: number): void => {
  list.push(item);
  if (list.length > max) list.splice(0, list.length - max);
};

function quantile(sorted: readonly number[], q: number): number | undefined {
  if (sorted.length === 0) return undefined;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

/**
 * What the dashboard shows of a client's servers, kept from its events: timelines of transitions,
 * restarts and give-ups (the last 100 each), log tails, and call rates and latencies. Emits
 * `changed` on every event that changes a card.
 */
export class Fleet extends EventEmitter<{ changed: () => void }> {
  readonly #client: UniversalMcpClient;
  readonly #tracks = new Map<string, Track>();
  readonly #detach: () => void;

  constructor(client: UniversalMcpClient) {
    super();
    this.#client = client;
    const state = (e: ServerStateEvent): void => {
      if (e.exit !== undefined) this.#track(e.server).exit = e.exit;
      const why = e.reason === undefined ? '' : ` (${e.reason})`;
      this.#note(e.server, 'state', `${e.from} → ${e.to}${why}`);
    };
    const restart = (e: ServerRestartingEvent): void => {
      const why = e.error === undefined ? 'restart asked for' : `${e.error.code}: ${e.error.message}`;
      const track = this.#track(e.server);
      // How the process ended, unless the error already says it (a lost stdio connection does).
      const message = e.error?.message ?? 'restart asked for';
      const ended = track.exit === undefined ? undefined : describeExit(track.exit);
      track.exit = undefined;
      keep(
        track.restarts,
        {
          at: Date.now(),
          attempt: e.attempt + 1,
          delayMs: e.delayMs,
          code: e.error?.code ?? 'REQUESTED',
          reason: cut(ended === undefined || message.includes(ended) ? message : `${message} (${ended})`),
        },
        HISTORY,
      );
      if (e.error !== undefined) this.#fail(e.server, 'connection', e.error);
      this.#note(e.server, 'restart', `attempt ${e.attempt + 1} in ${e.delayMs} ms after ${why}`);
    };
    const givenUp = (e: ServerGivenUpEvent): void => {
      this.#fail(e.server, 'given-up', e.error);
      this.#note(e.server, 'given-up', `${e.error.code}: ${e.error.message}`);
    };
    // An MRTR round: the handlers (the page's requests panel for dashboard calls) answer it; the timeline says it came.
    const inputRequired = (e: ServerInputRequiredEvent): void =>
      this.#note(
        e.server,
        'input-required',
        `${e.method} round ${e.round} asks for ${e.requests.map((r) => r.method).join(', ') || 'nothing'}`,
      );
    const call = (e: CallEndEvent): void => {
      keep(this.#track(e.server).calls, { at: Date.now(), ms: e.durationMs }, 200);
      if (e.error !== undefined) this.#fail(e.server, 'call', e.error, e.tool);
      this.emit('changed');
    };
    const log = (e: ServerLogEvent): void => keep(this.#track(e.server).logs, `[${e.level}] ${logText(e.data)}`, 50);
    const removed = ({ server }: { server: string }): void => {
      this.#tracks.delete(server);
      this.emit('changed');
    };
    const detach = [
      client.on('server:state', state),
      client.on('server:restarting', restart),
      client.on('server:given-up', givenUp),
      client.on('server:input-required', inputRequired),
      client.on('call:end', call),
      client.on('server:log', log),
      client.on('server:removed', removed),
    ];
    this.#detach = () => {
      for (const off of detach) off();
    };
  }

  #track(server: string): Track {
    let t = this.#tracks.get(server);
    if (t === undefined)
      this.#tracks.set(server, (t = { timeline: [], logs: [], errors: [], restarts: [], calls: [] }));
    return t;
  }

  #fail(server: string, source: ErrorEntry['source'], error: { code: string; message: string }, tool?: string): void {
    const entry = { at: Date.now(), source, code: error.code, message: cut(error.message) };
    keep(this.#track(server).errors, tool === undefined ? entry : { ...entry, tool: cut(tool, 200) }, HISTORY);
  }

  #note(server: string, kind: TimelineEntry['kind'], text: string): void {
    keep(this.#track(server).timeline, { at: Date.now(), kind, text }, 100);
    this.emit('changed');
  }

  /** Every server's card, in name order. */
  cards(): ServerCard[] {
    return this.#client
      .listServers()
      .sort()
      .map((name) => this.#card(name))
      .filter((c): c is ServerCard => c !== undefined);
  }

  #card(name: string, info = this.#client.getServerInfo(name)): ServerCard | undefined {
    if (info === undefined) return undefined;
    const now = Date.now();
    const calls = this.#tracks.get(name)?.calls ?? [];
    // One pass: each call into its second of the last minute (59: the current one), and the last 10 s counted.
    const seconds: number[][] = Array.from({ length: 60 }, () => []);
    let recent = 0;
    for (const c of calls) {
      const age = now - c.at;
      if (age <= 10_000) recent += 1;
      seconds[59 - Math.floor(age / 1000)]?.push(c.ms);
    }
    const sorted = calls.map((c) => c.ms).sort((a, b) => a - b);
    const rate = seconds.map((s) => s.length);
    const latency = seconds.map(
      (s) =>
        quantile(
          s.sort((a, b) => a - b),
          0.5,
        ) ?? null,
    );
    return {
      name,
      state: info.state,
      transport: info.transport,
      era: info.era,
      protocolVersion: info.protocolVersion,
      givenUp: info.givenUp,
      connectedAt: info.connectedAt?.getTime(),
      restarts: info.restarts,
      pid: info.pid,
      sessionId: info.sessionId,
      pending: info.pending,
      queued: info.queued,
      // The facade's offered tools, not the server's whole list: a denied or held tool is not the dashboard's to show.
      tools: this.#client.listTools(name).length,
      callsPerSecond: recent / 10,
      p50: quantile(sorted, 0.5),
      p99: quantile(sorted, 0.99),
      rate,
      latency,
      until: now,
      lastError: info.lastError === undefined ? undefined : `${info.lastError.code}: ${info.lastError.message}`,
    };
  }

  /** One server in detail; undefined when there is no such server. */
  detail(name: string): ServerDetail | undefined {
    const info = this.#client.getServerInfo(name);
    const card = this.#card(name, info);
    if (card === undefined || info === undefined) return undefined;
    const track = this.#track(name);
    return {
      ...card,
      timeline: [...track.timeline],
      errors: [...track.errors],
      restartHistory: [...track.restarts],
      stderr: info.stderr.slice(-50),
      logs: [...track.logs],
      version:
        info.serverVersion === undefined ? undefined : `${info.serverVersion.name} ${info.serverVersion.version}`,
      capabilities: Object.keys(info.capabilities ?? {}).sort(),
      toolNames: this.#client.listTools(name).map((t) => t.name),
      resources: info.resources.length,
      prompts: info.prompts.length,
    };
  }

  /** What one server offers, bounded; undefined when there is no such server. */
  catalog(name: string): ServerCatalog | undefined {
    if (this.#client.getServerInfo(name) === undefined) return undefined;
    const tools = this.#client.listTools(name);
    const resources = this.#client.listResources(name);
    const templates = this.#client.listResourceTemplates(name);
    const prompts = this.#client.listPrompts(name);
    const first = <T>(list: readonly T[]): readonly T[] => list.slice(0, CATALOG_ITEMS);
    return {
      tools: first(tools).map((t) => {
        const app = toolApp(t);
        const required = new Set(t.inputSchema.required ?? []);
        return {
          name: t.name,
          title: t.title === undefined ? undefined : cut(t.title, 200),
          description: cut(t.description ?? ''),
          arguments: first(Object.keys(t.inputSchema.properties ?? {})).map((a) => (required.has(a) ? `${a} *` : a)),
          app: app.resourceUri !== undefined,
          appOnly: !visibleToModel(t),
          needsApproval: this.#client.toolAccess(name, t.name)?.needsApproval ?? false,
        };
      }),
      resources: first(resources).map((r) => ({ uri: r.uri, name: cut(r.name, 200), mimeType: r.mimeType })),
      templates: first(templates).map((t) => ({ uriTemplate: t.uriTemplate, name: cut(t.name, 200) })),
      prompts: first(prompts).map((p) => ({
        name: p.name,
        description: cut(p.description ?? ''),
        arguments: first(p.arguments ?? []).map((a) => ({
          name: a.name,
          description: cut(a.description ?? '', 200),
          required: a.required === true,
        })),
      })),
      truncated: [tools, resources, templates, prompts].some((l) => l.length > CATALOG_ITEMS),
    };
  }

  close(): void {
    this.#detach();
    this.removeAllListeners();
  }
}
