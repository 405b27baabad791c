import type { Logger } from 'pino';
import type { ClientHandlers, CompleteRequest, ProtocolSetting, ServerPolicy, ToolPolicy } from '@universal-mcp/core';
import type { PinStore } from './pin-store.js';
import type { TaskStore } from './task-store.js';
import type { TelemetryOptions } from './telemetry.js';

/** Options for {@link UniversalMcpClient.whenReady}. */
export interface WhenReadyOptions {
  /** How long to wait for every server. @default 30000 */
  readonly timeoutMs?: number | undefined;
  /** Aborting rejects the wait with `CANCELLED`. */
  readonly signal?: AbortSignal | undefined;
}

/** Options for {@link UniversalMcpClient.fromConfig}. */
export interface FromConfigOptions extends UniversalMcpClientOptions {
  /**
   * Resolve once every server is ready, and reject (closing everything) if one cannot start. With
   * false it resolves at once; {@link UniversalMcpClient.whenReady} then waits.
   * @default true
   */
  readonly waitForReady?: boolean | undefined;
}

/**
 * The connection machine a client's servers run, swapped by this repo's unit tests (actors faked
 * with `machine.provide()`). Not part of the public API.
 * @internal
 */
export const MACHINE: unique symbol = Symbol('universal-mcp.machine');
/** fromConfig's way to hand the file's `tools` apart from the `tools` option (which wins, then and on reloads). */
export const FILE_TOOLS: unique symbol = Symbol('universal-mcp.file-tools');

/** Options for {@link UniversalMcpClient}. */
export interface UniversalMcpClientOptions {
  /** A pino logger; the client logs nothing without one. One child per server (`{ server }`). */
  readonly logger?: Logger | undefined;
  /** Policy every server takes unless its own config says otherwise. */
  readonly defaults?: ServerPolicy | undefined;
  /**
   * Answers to server-to-client requests (sampling, elicitation, roots) for every server; a
   * server's own `config.handlers` win. A capability is advertised only with its handler.
   */
  readonly handlers?: ClientHandlers | undefined;
  /**
   * Declare the MCP Apps extension (`io.modelcontextprotocol/ui`, HTML `text/html;profile=mcp-app`) to every
   * server: set it when the application renders Apps (a tool's `_meta.ui.resourceUri`), so a server that
   * adapts to hosts without them gives it its App-backed tools. It changes nothing else: tools are listed
   * and `_meta.ui` read the same either way.
   * @default false
   */
  readonly apps?: boolean | undefined;
  /**
   * The MCP revision every server is spoken to in, unless its own config's `protocol` says otherwise:
   * `'auto'` probes with `server/discover` and falls back to `initialize` (the verdict is kept across
   * restarts); `'2026-07-28'` or `'2025-11-25'` pins it, and a server that does not offer it is given
   * up with `UNSUPPORTED_PROTOCOL_VERSION`.
   * @default 'auto'
   */
  readonly protocol?: ProtocolSetting | undefined;
  /**
   * OpenTelemetry: spans and metrics by the MCP semantic conventions (see docs/monitoring.md).
   * By default the global providers of `@opentelemetry/api`, which cost nothing until an SDK
   * registers; pass providers to use others.
   */
  readonly telemetry?: TelemetryOptions | undefined;
  /**
   * Outbound HTTP guard: the hosts HTTP and SSE servers, their OAuth endpoints and every redirect hop may be
   * reached at. `host` (any port), `host:port`, `*.example.com` (subdomains only), `[::1]`; case-insensitive.
   * A server URL not in it is refused by `addServer` (`HOST_NOT_ALLOWED`, nothing started); a request to
   * any other host fails with `HOST_NOT_ALLOWED` before it is sent, and a server refused so while
   * connecting is given up. Not the listeners' `allowedHosts` (the Host header they accept).
   * @default undefined (no restriction)
   */
  readonly outboundHosts?: readonly string[] | undefined;
  /**
   * The client-wide tool policy: which tools are offered and which calls need approval, beneath each
   * server's own `tools` (see {@link ToolPolicy}). It wins over a config file's top-level `tools`, in
   * `fromConfig` and on every `applyConfig`.
   */
  readonly tools?: ToolPolicy | undefined;
  /**
   * Where pinned tool definitions persist: a file path (written 0600, its directory 0700, atomically) or a
   * {@link PinStore}. Unset: in memory, for the client's life. An unreadable file fails the constructor
   * with `CONFIG_INVALID`.
   */
  readonly pins?: string | PinStore | undefined;
  /**
   * Where the client keeps the tasks servers run for it, so that a new client (after a crash, a restart) polls
   * them again: a file path (a `FileTaskStore`: JSON, 0600, server task ids and tool names, never
   * arguments or results) or a store. Unset: in memory (tasks end with the process).
   */
  readonly tasks?: string | TaskStore | undefined;
}

/** What {@link UniversalMcpClient.applyConfig} did, by server name. */
export interface ApplyConfigResult {
  /** New in the config: started. */
  readonly added: string[];
  /** Gone from the config: stopped. */
  readonly removed: string[];
  /** Connection fields changed: stopped and started again. */
  readonly restarted: string[];
  /** Only policy changed: applied live, no restart. */
  readonly updated: string[];
  /** Nothing changed. */
  readonly unchanged: string[];
}

/** A completion reference: a prompt by name or a resource template by URI. */
export type CompletionRef = CompleteRequest['params']['ref'];

/** Options for {@link UniversalMcpClient.addServer}. */
export interface AddServerOptions {
  /**
   * Resolve only once the server is ready, and reject (keeping nothing) if the first attempt
   * fails. With false, the server is registered at once and the supervisor keeps trying.
   * @default true
   */
  readonly waitForReady?: boolean | undefined;
}
