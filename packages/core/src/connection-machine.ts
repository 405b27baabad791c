import { assign, emit, fromCallback, fromPromise, setup, type ActorRefFrom, type SnapshotFrom } from 'xstate';
import { EMPTY_CATALOG, type Catalog } from './catalog.js';
import {
  discoverCatalog,
  openSession,
  watchSession,
  type ConnectInput,
  type DiscoverInput,
  type WatchInput,
} from './connection-actors.js';
import type {
  ConnectionContext,
  ConnectionEmitted,
  ConnectionEvent,
  ConnectionInput,
  ConnectionState,
} from './connection-types.js';
import { eraShaped } from './era-verdict.js';
import { ErrorCode, UniversalMcpError, toUniversalError } from './errors.js';
import type { Session } from './session-types.js';

/** The session of `initialized` and `ready`: set when `connecting` succeeds, so never missing there. */
function sessionOf(context: ConnectionContext): Session {
  if (context.session === undefined)
    throw new Error(`connection "${context.name}": no session in a state that has one`);
  return context.session;
}

function failure(error: unknown, name: string, phase: 'connect' | 'request'): UniversalMcpError {
  return error instanceof UniversalMcpError ? error : toUniversalError(error, name, phase);
}

/**
 * One MCP server connection as a state machine. It connects, discovers, serves and notices
 * when it is broken; it never decides to restart: in `failed` it waits for the supervisor's
 * `supervisor.restart-after` (with the backoff delay) or `supervisor.stop`.
 */
export const connectionMachine = setup({
  types: {
    input: {} as ConnectionInput,
    context: {} as ConnectionContext,
    events: {} as ConnectionEvent,
    emitted: {} as ConnectionEmitted,
  },
  actors: {
    connect: fromPromise<Session, ConnectInput>(openSession),
    discover: fromPromise<Catalog, DiscoverInput>(discoverCatalog),
    watch: fromCallback<ConnectionEvent, WatchInput>(watchSession),
  },
  delays: {
    restartDelay: ({ context }) => context.restartDelayMs,
  },
  actions: {
    // Fire and forget here; the supervisor awaits every session's close() when it must.
    closeSession: ({ context }) => void context.session?.close(),
    forgetSession: assign({ session: undefined }),
    // A kept era that failed the era's way may be stale (the server was upgraded or downgraded): the
    // next attempt probes again. A refused connection or a crash keeps it: a server that is briefly
    // away is the same server, and a probe of an absent server proves nothing about its era.
    forgetStaleVerdict: assign(({ context, event }, params: { phase: 'connect' | 'discover' }) =>
      context.usedVerdict && eraShaped((event as { error?: unknown }).error, params.phase)
        ? { verdict: undefined }
        : {},
    ),
    configure: assign(({ context, event }) => {
      if (event.type !== 'supervisor.configure') return {};
      const { health, connectTimeoutMs } = event;
      return { input: { ...context.input, health, connectTimeoutMs } };
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
    restartDelayMs: 0,
    connectedAt: undefined,
    verdict: undefined,
    usedVerdict: false,
  }),
  initial: 'connecting',
  on: {
    'supervisor.stop': {
      target: '.stopped',
      actions: assign({ reason: ({ event }) => event.reason ?? 'stop requested' }),
    },
    // New settings apply from the next connection; in `ready` the watcher restarts with them at once.
    'supervisor.configure': { actions: 'configure' },
  },
  states: {
    connecting: {
      entry: assign(({ context }) => ({ usedVerdict: context.verdict !== undefined })),
      invoke: {
        src: 'connect',
        input: ({ context }): ConnectInput => ({
          config: context.input.config,
          timeoutMs: context.input.connectTimeoutMs,
          listener: context.input.listener,
          handlers: context.input.handlers,
          extensions: context.input.extensions,
          protocol: context.input.protocol,
          prior: context.verdict,
          outboundHosts: context.input.outboundHosts,
        }),
        onDone: {
          target: 'initialized',
          actions: assign({
            session: ({ event }) => event.output,
            reason: 'handshake complete',
            verdict: ({ event }) => event.output.verdict,
          }),
        },
        onError: {
          target: 'failed',
          actions: [
            { type: 'forgetStaleVerdict', params: { phase: 'connect' } },
            assign(({ event, context }) => {
              const error = failure(event.error, context.name, 'connect');
              return { error, reason: error.message };
            }),
          ],
        },
      },
    },
    initialized: {
      invoke: {
        src: 'discover',
        input: ({ context }): DiscoverInput => ({
          session: sessionOf(context),
          timeoutMs: context.input.connectTimeoutMs,
        }),
        onDone: {
          target: 'ready',
          actions: assign({
            catalog: ({ event }) => event.output,
            reason: 'catalog discovered',
            error: undefined,
            connectedAt: () => Date.now(),
          }),
        },
        onError: {
          target: 'failed',
          actions: [
            { type: 'forgetStaleVerdict', params: { phase: 'discover' } },
            assign(({ event, context }) => {
              const found = failure(event.error, context.name, 'request');
              const exit = context.session?.exit;
              // A process that died during discovery: the exit is the reason, and travels with the error.
              const error =
                exit === undefined || found.exit !== undefined
                  ? found
                  : new UniversalMcpError(found.code, found.message, {
                      server: found.server,
                      cause: found.cause,
                      details: found.details,
                      rpcCode: found.rpcCode,
                      exit,
                    });
              return { error, reason: `discovery failed: ${error.message}` };
            }),
          ],
        },
      },
    },
    ready: {
      invoke: {
        src: 'watch',
        input: ({ context }): WatchInput => ({ session: sessionOf(context), health: context.input.health }),
      },
      on: {
        'supervisor.restart': {
          target: 'failed',
          actions: assign(({ event, context }) => ({
            error: new UniversalMcpError(
              ErrorCode.CONNECTION_LOST,
              `Connection to "${context.name}" ended: ${event.reason}`,
              { server: context.name },
            ),
            reason: event.reason,
          })),
        },
        'connection.lost': {
          target: 'failed',
          actions: assign(({ event }) => ({ error: event.error, reason: event.error.message })),
        },
        'supervisor.configure': { target: 'ready', reenter: true, actions: 'configure' },
        'connection.catalog': {
          actions: [
            assign({
              catalog: ({ context, event }) => ({
                ...context.catalog,
                ...event.catalog,
                cacheScope:
                  event.catalog.cacheScope === undefined
                    ? context.catalog.cacheScope
                    : { ...context.catalog.cacheScope, ...event.catalog.cacheScope },
              }),
            }),
            'emitCatalog',
          ],
        },
      },
    },
    failed: {
      entry: ['closeSession', 'forgetSession'],
      on: {
        'supervisor.restart-after': {
          target: 'restarting',
          actions: assign(({ event }) => ({
            restartDelayMs: event.delayMs,
            reason: `backoff ${Math.round(event.delayMs)} ms`,
          })),
        },
      },
    },
    restarting: {
      on: {
        // A new word from the supervisor replaces the pending delay (a manual restart cuts it short).
        'supervisor.restart-after': {
          target: 'restarting',
          reenter: true,
          actions: assign(({ event }) => ({
            restartDelayMs: event.delayMs,
            reason: `backoff ${Math.round(event.delayMs)} ms`,
          })),
        },
      },
      after: {
        restartDelay: {
          target: 'connecting',
          actions: assign(({ context }) => ({ attempt: context.attempt + 1, reason: 'restart' })),
        },
      },
    },
    stopped: {
      type: 'final',
      entry: ['closeSession', 'forgetSession'],
    },
  },
});

/** A running connection actor. */
export type ConnectionActor = ActorRefFrom<typeof connectionMachine>;
/** A connection actor's snapshot. */
export type ConnectionSnapshot = SnapshotFrom<typeof connectionMachine>;

/** A typed error for calls made while the connection is not ready. */
export function unavailable(name: string, state: ConnectionState, cause?: unknown): UniversalMcpError {
  return new UniversalMcpError(ErrorCode.SERVER_UNAVAILABLE, `Server "${name}" is not ready (state: ${state})`, {
    server: name,
    cause,
    details: { servers: { [name]: { state, error: cause instanceof UniversalMcpError ? cause : undefined } } },
  });
}
