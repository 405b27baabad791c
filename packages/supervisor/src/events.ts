import type { ConnectionState, LoggingLevel, ProcessExit, Prompt, Resource, ResourceTemplate, Tool, UniversalMcpError } from '@universal-mcp/core';

/**
 * Every state change of a server's connection, exactly once.
 *
 * In every event, `attempt` is the connection attempt the server is on: 1 for the first, one more
 * for each restart (the same number as `ServerInfo.attempt`).
 */
export interface ServerStateEvent {
  readonly server: string;
  readonly from: ConnectionState;
  readonly to: ConnectionState;
  readonly reason?: string | undefined;
  /** The connection attempt the server is on. */
  readonly attempt: number;
  /** On a transition to `failed` after a stdio server's process ended: its pid, exit code and signal. */
  readonly exit?: ProcessExit | undefined;
}

/** The server is ready to serve calls. */
export interface ServerReadyEvent {
  readonly server: string;
  readonly attempt: number;
  readonly tools: Tool[];
}

/** A restart is scheduled after `delayMs`: attempt `attempt + 1` follows. */
export interface ServerReconnectingEvent {
  readonly server: string;
  /** The connection attempt that just ended (the restart is `attempt + 1`). */
  readonly attempt: number;
  readonly delayMs: number;
  readonly error?: UniversalMcpError | undefined;
}

/** The supervisor gave the server up (restart policy or intensity limit); calls fail fast. */
export interface ServerGivenUpEvent {
  readonly server: string;
  readonly error: UniversalMcpError;
}

export interface ServerRemovedEvent {
  readonly server: string;
}

export interface ToolsChangedEvent {
  readonly server: string;
  readonly tools: Tool[];
}

export interface ResourcesChangedEvent {
  readonly server: string;
  readonly resources: Resource[];
  readonly resourceTemplates: ResourceTemplate[];
}

export interface PromptsChangedEvent {
  readonly server: string;
  readonly prompts: Prompt[];
}

/** A subscribed resource changed (`notifications/resources/updated`). */
export interface ResourceUpdatedEvent {
  readonly server: string;
  readonly uri: string;
}

/** A log message from the server (`notifications/message`). */
export interface ServerLogEvent {
  readonly server: string;
  readonly level: LoggingLevel;
  readonly logger?: string | undefined;
  readonly data: unknown;
}

export interface CallStartEvent {
  readonly server: string;
  readonly tool: string;
}

export interface CallEndEvent {
  readonly server: string;
  readonly tool: string;
  readonly durationMs: number;
  readonly ok: boolean;
  readonly error?: UniversalMcpError | undefined;
}

export interface ServerStderrEvent {
  readonly server: string;
  readonly line: string;
}

/** The events `UniversalMcpClient` emits, by name. One payload object each. */
export interface UniversalMcpEvents {
  'server:state': (event: ServerStateEvent) => void;
  'server:ready': (event: ServerReadyEvent) => void;
  'server:reconnecting': (event: ServerReconnectingEvent) => void;
  'server:given-up': (event: ServerGivenUpEvent) => void;
  'server:removed': (event: ServerRemovedEvent) => void;
  'tools:changed': (event: ToolsChangedEvent) => void;
  'resources:changed': (event: ResourcesChangedEvent) => void;
  'prompts:changed': (event: PromptsChangedEvent) => void;
  'resource:updated': (event: ResourceUpdatedEvent) => void;
  'server:log': (event: ServerLogEvent) => void;
  'call:start': (event: CallStartEvent) => void;
  'call:end': (event: CallEndEvent) => void;
  'server:stderr': (event: ServerStderrEvent) => void;
}

/** The name of one of the {@link UniversalMcpEvents}. */
export type UniversalMcpEventName = keyof UniversalMcpEvents;
