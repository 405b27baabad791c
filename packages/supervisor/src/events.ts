import type {
  ConnectionState,
  LoggingLevel,
  ProcessExit,
  ProtocolEra,
  Prompt,
  Resource,
  ResourceTemplate,
  Tool,
  UniversalMcpError,
} from '@universal-mcp/core';
import type { TaskSnapshot } from './task-handle.js';
import type { ToolChange } from './tool-gate.js';

// In every event, `server` is the name the server was added under, and `attempt` is the connection
// attempt the server is on: 1 for the first, one more for each restart (as in `ServerInfo.attempt`).

/** Every state change of a server's connection, exactly once, chained (`from` is the last `to`). */
export interface ServerStateEvent {
  /** The server's name. */
  readonly server: string;
  /** The state it left. */
  readonly from: ConnectionState;
  /** The state it entered. */
  readonly to: ConnectionState;
  /** Why, in words: `handshake complete`, `backoff 1600 ms`, the error that failed it… */
  readonly reason?: string | undefined;
  /** The connection attempt the server is on. */
  readonly attempt: number;
  /** On a transition to `failed` after a stdio server's process ended: its pid, exit code and signal. */
  readonly exit?: ProcessExit | undefined;
}

/** The server is ready to serve calls. */
export interface ServerReadyEvent {
  /** The server's name. */
  readonly server: string;
  /** The connection attempt that succeeded. */
  readonly attempt: number;
  /** Its tool catalog. */
  readonly tools: Tool[];
  /** The MCP era this connection speaks: `2026-07-28` (stateless) or `2025-11-25` (`initialize`). */
  readonly era: ProtocolEra;
  /** The exact revision agreed on (in the 2025 era, what `initialize` settled, e.g. `2025-06-18`). */
  readonly protocolVersion: string | undefined;
}

/**
 * A 2026-07-28 server asked for input before answering a request (an MRTR `input_required` round).
 * The client's handlers (sampling, elicitation, roots) answer it, as they answer a 2025 server's own
 * requests; the request is then sent again with the answers.
 */
export interface ServerInputRequiredEvent {
  /** The server's name. */
  readonly server: string;
  /** The request waiting for the input: `tools/call`, `prompts/get` or `resources/read`. */
  readonly method: string;
  /** 1 for the request's first round, one more for each round after it. */
  readonly round: number;
  /** What the server asked for, one entry per input it needs. */
  readonly requests: readonly InputRequestSummary[];
}

/** One input a server asked for in an input round (names cut to 128 characters). */
export interface InputRequestSummary {
  /** The server's key for it, echoed with the answer. */
  readonly key: string;
  /** What it asks for: `elicitation/create`, `sampling/createMessage` or `roots/list`. */
  readonly method: string;
}

/** A restart is scheduled after `delayMs`: attempt `attempt + 1` follows. */
export interface ServerRestartingEvent {
  /** The server's name. */
  readonly server: string;
  /** The connection attempt that just ended (the restart is `attempt + 1`). */
  readonly attempt: number;
  /** The backoff before the next attempt, in ms (0 for a lost session or a restart asked for). */
  readonly delayMs: number;
  /** What ended the last attempt (none for a restart asked for by `restartServer`). */
  readonly error?: UniversalMcpError | undefined;
}

/** @deprecated Renamed {@link ServerRestartingEvent} (a restart, not a reconnect); this name goes in 1.0. */
export type ServerReconnectingEvent = ServerRestartingEvent;

/** The supervisor gave the server up (restart policy or intensity limit); calls fail fast until `restartServer`. */
export interface ServerGivenUpEvent {
  /** The server's name. */
  readonly server: string;
  /** Why: the last failure, or `SERVER_UNAVAILABLE` naming the intensity limit passed. */
  readonly error: UniversalMcpError;
}

/** The server was removed (`removeServer`, `close`, or `applyConfig`). */
export interface ServerRemovedEvent {
  /** The server's name. */
  readonly server: string;
}

/** The server's tool list changed (`tools/list_changed`, or a restart that changed it). */
export interface ToolsChangedEvent {
  /** The server's name. */
  readonly server: string;
  /** The offered tools of the new catalog (see `UniversalMcpClient.listTools`). */
  readonly tools: Tool[];
}

/** The server's resource list changed. */
export interface ResourcesChangedEvent {
  /** The server's name. */
  readonly server: string;
  /** Every resource (all pages). */
  readonly resources: Resource[];
  /** Every resource template. */
  readonly resourceTemplates: ResourceTemplate[];
}

/** The server's prompt list changed. */
export interface PromptsChangedEvent {
  /** The server's name. */
  readonly server: string;
  /** The new list. */
  readonly prompts: Prompt[];
}

/** A subscribed resource changed (`notifications/resources/updated`). */
export interface ResourceUpdatedEvent {
  /** The server's name. */
  readonly server: string;
  /** The resource that changed. */
  readonly uri: string;
}

/** A log message from the server (`notifications/message`), at or above the level set with `setLoggingLevel`. */
export interface ServerLogEvent {
  /** The server's name. */
  readonly server: string;
  /** The message's level. */
  readonly level: LoggingLevel;
  /** The server's name for the part that logged it. */
  readonly logger?: string | undefined;
  /** What the server logged (any JSON). */
  readonly data: unknown;
}

/**
 * Something in what the server sent was not taken as it came, once per tool and reason (a relisting
 * with the same problem says nothing new). `tool-left-out`: the tool's definition is broken or its
 * schema is past the size or depth limits, so it is not in the catalog (calls fail with
 * `TOOL_INVALID`). `pattern-not-enforced`: the tool is listed, but a `pattern` in its schema needs a
 * backtracking engine (a backreference, lookahead), so it is not checked.
 */
export interface ServerWarningEvent {
  /** The server's name. */
  readonly server: string;
  /** What was done about it. */
  readonly kind: 'tool-left-out' | 'pattern-not-enforced';
  /** The tool's name (`#<index>` in the list when it has none). */
  readonly tool: string;
  /** What is wrong, e.g. `inputSchema is past the schema limits: nested deeper than 64 levels`. */
  readonly reason: string;
}

/** A tool call began (every `callTool`, also one that fails before anything is sent). */
export interface CallStartEvent {
  /** The server's name, as the call gave it. */
  readonly server: string;
  /** The tool's name. */
  readonly tool: string;
}

/** A tool call ended: exactly one for each {@link CallStartEvent}. */
export interface CallEndEvent {
  /** The server's name, as the call gave it. */
  readonly server: string;
  /** The tool's name. */
  readonly tool: string;
  /** From `callTool` to its answer or rejection, in ms. */
  readonly durationMs: number;
  /** True when the call resolved (an `isError` result included); false when it rejected. */
  readonly ok: boolean;
  /** Why it rejected. */
  readonly error?: UniversalMcpError | undefined;
}

/** A line a stdio server wrote to stderr (captured, never inherited). */
export interface ServerStderrEvent {
  /** The server's name. */
  readonly server: string;
  /** The line, without its line end. */
  readonly line: string;
}

/** A changed tool was accepted: its current definition is pinned and it is offered again. */
export interface ToolAcceptedEvent {
  /** The server's name. */
  readonly server: string;
  /** The tool's name. */
  readonly tool: string;
}

/**
 * The events `UniversalMcpClient` emits, by name: one payload object each. A throwing listener is
 * logged; the other listeners still run.
 */
export interface UniversalMcpEvents {
  /** Every state change, exactly once. */
  'server:state': (event: ServerStateEvent) => void;
  /** The server is ready. */
  'server:ready': (event: ServerReadyEvent) => void;
  /** A restart is scheduled. */
  'server:restarting': (event: ServerRestartingEvent) => void;
  /**
   * A restart is scheduled: emitted with every `server:restarting`, with the same payload.
   * @deprecated Listen to `server:restarting`; this name goes in 1.0.
   */
  'server:reconnecting': (event: ServerRestartingEvent) => void;
  /** The server was given up. */
  'server:given-up': (event: ServerGivenUpEvent) => void;
  /** The server was removed. */
  'server:removed': (event: ServerRemovedEvent) => void;
  /** The tool list changed. */
  'tools:changed': (event: ToolsChangedEvent) => void;
  /**
   * A tool's definition differs from its pin, or a new tool shadows another server's: once per new
   * definition, whatever the action (`warn` offers it flagged; `hold` and `block` leave it out).
   */
  'tool:changed': (event: ToolChange) => void;
  /** A changed tool was accepted (`acceptToolChange`). */
  'tool:accepted': (event: ToolAcceptedEvent) => void;
  /** The resource list changed. */
  'resources:changed': (event: ResourcesChangedEvent) => void;
  /** The prompt list changed. */
  'prompts:changed': (event: PromptsChangedEvent) => void;
  /** A subscribed resource changed. */
  'resource:updated': (event: ResourceUpdatedEvent) => void;
  /** The server logged a message. */
  'server:log': (event: ServerLogEvent) => void;
  /** A tool was left out of the catalog, or a part of its schema is not enforced. */
  'server:warning': (event: ServerWarningEvent) => void;
  /** A tool call began. */
  'call:start': (event: CallStartEvent) => void;
  /** A tool call ended. */
  'call:end': (event: CallEndEvent) => void;
  /** A stdio server wrote a line to stderr. */
  'server:stderr': (event: ServerStderrEvent) => void;
  /** A 2026-07-28 server asked for input (an MRTR round) before answering a request. */
  'server:input-required': (event: ServerInputRequiredEvent) => void;
  /** A task changed: its status, its status message or its pending input (every change, in order). */
  'task:status': (snapshot: TaskSnapshot) => void;
  /** A task ended (`completed`, `failed`, `cancelled` or `lost`): once per task. */
  'task:end': (snapshot: TaskSnapshot) => void;
}

/** The name of one of the {@link UniversalMcpEvents}. */
export type UniversalMcpEventName = keyof UniversalMcpEvents;
