import { EventEmitter } from 'eventemitter3';
import { jsonText } from '@universal-mcp/core/internal';
import type {
  CallEndEvent,
  ServerGivenUpEvent,
  ServerInputRequiredEvent,
  ServerLogEvent,
  ServerReconnectingEvent,
  ServerStateEvent,
  UniversalMcpClient,
} from '@universal-mcp/supervisor';

/** The most of one server log message kept in the tail (a server decides what it sends). */
const LOG_CHARS = 8 * 1024;

/** A server's log data as one line of the tail: cut to {@link LOG_CHARS}, never too deep to write. */
function logText(data: unknown): string {
  const text = typeof data === 'string' ? data : jsonText(data, { maxDepth: 16, maxChars: LOG_CHARS });
  return text.length > LOG_CHARS
    ? `${text.slice(0, LOG_CHARS)}… [cut: ${text.length - LOG_CHARS} more characters]`
    : text;
}

/** One entry of a server's timeline. */
export interface TimelineEntry {
  readonly at: number;
  readonly kind: 'state' | 'restart' | 'given-up' | 'input-required';
  readonly text: string;
}

/** A server as the fleet view shows it. */
export interface ServerCard {
  readonly name: string;
  readonly state: string;
  readonly transport: string;
  /** The MCP era of the connection (of the last one while reconnecting): `2026-07-28` or `2025-11-25`. */
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

/** A server in detail: its card, timeline, stderr and log tails, and catalog. */
export interface ServerDetail extends ServerCard {
  readonly timeline: readonly TimelineEntry[];
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

/** What the fleet keeps of each server beyond what the client knows. */
interface Track {
  readonly timeline: TimelineEntry[];
  readonly logs: string[];
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
 * What the console shows of a client's servers, kept from its events: timelines of transitions,
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
      const why = e.reason === undefined ? '' : ` (${e.reason})`;
      this.#note(e.server, 'state', `${e.from} → ${e.to}${why}`);
    };
    const restart = (e: ServerReconnectingEvent): void => {
      const why = e.error === undefined ? 'restart asked for' : `${e.error.code}: ${e.error.message}`;
      this.#note(e.server, 'restart', `attempt ${e.attempt + 1} in ${e.delayMs} ms after ${why}`);
    };
    const givenUp = (e: ServerGivenUpEvent): void =>
      this.#note(e.server, 'given-up', `${e.error.code}: ${e.error.message}`);
    // An MRTR round: the handlers (the page's requests panel for console calls) answer it; the timeline says it came.
    const inputRequired = (e: ServerInputRequiredEvent): void =>
      this.#note(
        e.server,
        'input-required',
        `${e.method} round ${e.round} asks for ${e.requests.map((r) => r.method).join(', ') || 'nothing'}`,
      );
    const call = (e: CallEndEvent): void => {
      keep(this.#track(e.server).calls, { at: Date.now(), ms: e.durationMs }, 200);
      this.emit('changed');
    };
    const log = (e: ServerLogEvent): void => keep(this.#track(e.server).logs, `[${e.level}] ${logText(e.data)}`, 50);
    const removed = ({ server }: { server: string }): void => {
      this.#tracks.delete(server);
      this.emit('changed');
    };
    client.on('server:state', state);
    client.on('server:reconnecting', restart);
    client.on('server:given-up', givenUp);
    client.on('server:input-required', inputRequired);
    client.on('call:end', call);
    client.on('server:log', log);
    client.on('server:removed', removed);
    this.#detach = () => {
      client.off('server:state', state);
      client.off('server:reconnecting', restart);
      client.off('server:given-up', givenUp);
      client.off('server:input-required', inputRequired);
      client.off('call:end', call);
      client.off('server:log', log);
      client.off('server:removed', removed);
    };
  }

  #track(server: string): Track {
    let t = this.#tracks.get(server);
    if (t === undefined) this.#tracks.set(server, (t = { timeline: [], logs: [], calls: [] }));
    return t;
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
      // The facade's offered tools, not the server's whole list: a denied or held tool is not the console's to show.
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

  close(): void {
    this.#detach();
    this.removeAllListeners();
  }
}
