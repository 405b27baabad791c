import type { LoggingMessageNotification } from '@modelcontextprotocol/sdk/types.js';
import { assign, emit, fromCallback, fromPromise, setup, type ActorRefFrom, type SnapshotFrom } from 'xstate';
import { EMPTY_CATALOG, type Catalog, type CatalogKind } from './catalog.js';
import type { ServerConfig } from './config.js';
import type { ClientHandlers } from './handlers.js';
import { ErrorCode, UniversalMcpError, toUniversalError } from './errors.js';
import type { McpSession } from './session.js';
import { discoverCatalog, openSession, watchSession, type ConnectInput, type DiscoverInput, type WatchInput } from './connection-actors.js';
import { exitOf, type ProcessExit } from './stdio-transport.js';

/** The states a connection can be in. */
export type ConnectionState = 'connecting' | 'initialized' | 'ready' | 'failed' | 'reconnecting' | 'stopped';

/** Health-check settings the worker applies (the supervisor chooses them). */
export interface HealthSettings {
  /** Ping the server every this many ms while ready; 0 turns health checks off. */
  readonly intervalMs: number;
  readonly timeoutMs: number;
  /** Consecutive failed pings after which the connection counts as lost. */
  readonly failuresBeforeRestart: number;
}

/** Where a connection sends what it sees that is not a state change. */
export interface ConnectionSink {
  /** A session was created for an attempt (before its handshake): its owner can await its close(). */
  sessionOpened?(session: McpSession): void;
  stderr?(line: string): void;
  transportError?(err: Error): void;
  /** `notifications/resources/updated` from the server. */
  resourceUpdated?(uri: string): void;
  /** `notifications/message` from the server. */
  log?(params: LoggingMessageNotification['params']): void;
  /** A warning the SDK would have printed to the console. */
  warning?(message: string): void;
  /** Client-wide answers to server-to-client requests (a server's own config.handlers win). */
  readonly handlers?: ClientHandlers | undefined;
}

/** What a connection machine is started with. */
export interface ConnectionInput {
  readonly config: ServerConfig;
  readonly connectTimeoutMs: number;
  /** Deadline for discovery requests (tools/list). */
  readonly requestTimeoutMs: number;
  readonly health: HealthSettings;
  readonly sink?: ConnectionSink | undefined;
}

export interface ConnectionContext {
  input: ConnectionInput;
  readonly name: string;
  session: McpSession | undefined;
  catalog: Catalog;
  /** 1 for the first connection attempt, then one more per retry. */
  attempt: number;
  /** Why the machine entered its current state. */
  reason: string;
  /** The failure that led to `failed`, kept until the next `ready`. */
  error: UniversalMcpError | undefined;
  exit: ProcessExit | undefined;
  retryDelayMs: number;
  connectedAt: number | undefined;
}

/** Events the machine accepts. `supervisor.*` come from the supervisor, `connection.*` from its own actors. */
export type ConnectionEvent =
  | { type: 'supervisor.retry'; delayMs: number }
  | { type: 'supervisor.stop'; reason?: string }
  /** End the current connection (or cut short a backoff) and connect again at once. */
  | { type: 'supervisor.restart'; reason: string }
  | { type: 'supervisor.configure'; health: HealthSettings; connectTimeoutMs: number; requestTimeoutMs: number }
  | { type: 'connection.lost'; error: UniversalMcpError; exit?: ProcessExit | undefined }
  | { type: 'connection.catalog'; kind: CatalogKind; catalog: Partial<Catalog> };

/** Events the machine emits for the supervisor to bridge. */
export type ConnectionEmitted = { type: 'catalog.changed'; kind: CatalogKind; catalog: Catalog };

function failure(error: unknown, name: string, phase: 'connect' | 'request'): UniversalMcpError {
  return error instanceof UniversalMcpError ? error : toUniversalError(error, name, phase);
}

/**
 * One MCP server connection as a state machine. It connects, discovers, serves and notices
 * when it is broken; it never decides to reconnect: in `failed` it waits for the supervisor's
 * `supervisor.retry` (with the backoff delay) or `supervisor.stop`.
 */
export const connectionMachine = setup({
  types: {
    input: {} as ConnectionInput,
    context: {} as ConnectionContext,
    events: {} as ConnectionEvent,
    emitted: {} as ConnectionEmitted,
  },
  actors: {
    connect: fromPromise<McpSession, ConnectInput>(openSession),
    discover: fromPromise<Catalog, DiscoverInput>(discoverCatalog),
    watch: fromCallback<ConnectionEvent, WatchInput>(watchSession),
  },
  delays: {
    retryDelay: ({ context }) => context.retryDelayMs,
  },
  actions: {
    disposeSession: assign(({ context }) => {
      // Fire and forget here; the supervisor awaits every session's close() when it must.
      void context.session?.close();
      return { session: undefined };
    }),
    configure: assign(({ context, event }) => {
      if (event.type !== 'supervisor.configure') return {};
      const { health, connectTimeoutMs, requestTimeoutMs } = event;
      return { input: { ...context.input, health, connectTimeoutMs, requestTimeoutMs } };
    }),
    emitCatalog: emit(({ context, event }) => ({
      type: 'catalog.changed' as const,
      kind: (event as Extract<ConnectionEvent, { type: 'connection.catalog' }>).kind,
      catalog: context.catalog,
    })),
  },
}).createMachine({
  id: 'connection',
  context: ({ input }) => ({
    input,
    name: input.config.name,
    session: undefined,
    catalog: EMPTY_CATALOG,
    attempt: 1,
    reason: 'start',
    error: undefined,
    exit: undefined,
    retryDelayMs: 0,
    connectedAt: undefined,
  }),
  initial: 'connecting',
  on: {
    'supervisor.stop': { target: '.stopped', actions: assign({ reason: ({ event }) => event.reason ?? 'stop requested' }) },
    // New settings apply from the next connection; in `ready` the watcher restarts with them at once.
    'supervisor.configure': { actions: 'configure' },
  },
  states: {
    connecting: {
      invoke: {
        src: 'connect',
        input: ({ context }) => ({ config: context.input.config, timeoutMs: context.input.connectTimeoutMs, sink: context.input.sink }),
        onDone: {
          target: 'initialized',
          actions: assign({ session: ({ event }) => event.output, reason: 'handshake complete', exit: undefined }),
        },
        onError: {
          target: 'failed',
          actions: assign(({ event, context }) => {
            const error = failure(event.error, context.name, 'connect');
            return { error, reason: error.message, exit: exitOf(error.details) };
          }),
        },
      },
    },
    initialized: {
      invoke: {
        src: 'discover',
        input: ({ context }) => ({ session: context.session!, timeoutMs: context.input.requestTimeoutMs }),
        onDone: {
          target: 'ready',
          actions: assign({ catalog: ({ event }) => event.output, reason: 'catalog discovered', error: undefined, connectedAt: () => Date.now() }),
        },
        onError: {
          target: 'failed',
          actions: assign(({ event, context }) => {
            const error = failure(event.error, context.name, 'request');
            return { error, reason: `discovery failed: ${error.message}`, exit: context.session?.exit };
          }),
        },
      },
    },
    ready: {
      invoke: {
        src: 'watch',
        input: ({ context }) => ({ session: context.session!, health: context.input.health }),
      },
      on: {
        'supervisor.restart': {
          target: 'failed',
          actions: assign(({ event, context }) => ({
            error: new UniversalMcpError(ErrorCode.CONNECTION_LOST, `Connection to "${context.name}" ended: ${event.reason}`, { server: context.name }),
            reason: event.reason,
            exit: undefined,
          })),
        },
        'connection.lost': {
          target: 'failed',
          actions: assign(({ event }) => ({ error: event.error, reason: event.error.message, exit: event.exit })),
        },
        'supervisor.configure': { target: 'ready', reenter: true, actions: 'configure' },
        'connection.catalog': {
          actions: [assign({ catalog: ({ context, event }) => ({ ...context.catalog, ...event.catalog }) }), 'emitCatalog'],
        },
      },
    },
    failed: {
      entry: 'disposeSession',
      on: {
        'supervisor.retry': {
          target: 'reconnecting',
          actions: assign(({ event }) => ({ retryDelayMs: event.delayMs, reason: `backoff ${Math.round(event.delayMs)} ms` })),
        },
      },
    },
    reconnecting: {
      on: {
        // A new word from the supervisor replaces the pending delay (a manual restart cuts it short).
        'supervisor.retry': {
          target: 'reconnecting',
          reenter: true,
          actions: assign(({ event }) => ({ retryDelayMs: event.delayMs, reason: `backoff ${Math.round(event.delayMs)} ms` })),
        },
      },
      after: {
        retryDelay: {
          target: 'connecting',
          actions: assign(({ context }) => ({ attempt: context.attempt + 1, reason: 'retry' })),
        },
      },
    },
    stopped: {
      type: 'final',
      entry: 'disposeSession',
    },
  },
});

/** A running connection actor. */
export type ConnectionActor = ActorRefFrom<typeof connectionMachine>;
/** A connection actor's snapshot. */
export type ConnectionSnapshot = SnapshotFrom<typeof connectionMachine>;

/** A typed error for calls made while the connection is not ready. */
export function unavailable(name: string, state: ConnectionState, cause?: unknown): UniversalMcpError {
  return new UniversalMcpError(ErrorCode.SERVER_UNAVAILABLE, `Server "${name}" is not ready (state: ${state})`, { server: name, cause });
}
