import {
  UnauthorizedError,
  type SSEClientTransport,
  type StreamableHTTPClientTransport,
} from '@modelcontextprotocol/client';
import type { ServerConfig } from './config.js';
import { ErrorCode, UniversalMcpError, boundText, describeNetworkError, toUniversalError } from './errors.js';
import type { ClientHandlers } from './handlers.js';
import type { HttpSessionExtras } from './http-session.js';
import { runWithInputs } from './input-required.js';
import type { ProcessExit } from './process-exit.js';
import type { RequestChannel } from './request-channel.js';
import { completeOnly } from './result-checks.js';
import type { ConnectionLoss } from './connection-loss.js';
import type { RequestOptions, SessionListener } from './session-types.js';

/** A result check: takes the raw result, returns it typed or throws. */
export type ResultCheck<T> = (result: Record<string, unknown>) => T;

/** What a {@link SessionChannel} is built on: the session's parts it sends through and reports to. */
export interface SessionChannelParts {
  readonly config: ServerConfig;
  readonly rpc: RequestChannel;
  readonly transport: unknown;
  readonly http: HttpSessionExtras | undefined;
  readonly loss: ConnectionLoss;
  readonly handlers: ClientHandlers;
  readonly listener: SessionListener | undefined;
  /** How the stdio server's process ended, once it has. */
  readonly exit: () => ProcessExit | undefined;
}

/**
 * A session's requests after the handshake: each goes out on the {@link RequestChannel}, is
 * authorized again once when refused for want of it (step-up), runs its input rounds in
 * 2026-07-28 (MRTR), and fails with one typed error, built here.
 */
export class SessionChannel {
  readonly #parts: SessionChannelParts;
  readonly #server: string;
  /** The 2026-07-28 era: no `initialize`, a `_meta` envelope on every request. Set once connected. */
  modern = false;

  constructor(parts: SessionChannelParts) {
    this.#parts = parts;
    this.#server = parts.config.name;
  }

  /** Requests in flight. */
  get pending(): number {
    return this.#parts.rpc.pending;
  }

  /** Runs the authorization-code flow for a pending authorization URL; false when there is none to run. */
  authorize(): Promise<boolean> {
    const transport = this.#parts.transport as StreamableHTTPClientTransport | SSEClientTransport;
    return this.#parts.http?.authorize(transport).catch(() => false) ?? Promise.resolve(false);
  }

  /**
   * Sends one request on the channel (progress always requested, so the idle timer resets on
   * progress) and maps failures to typed errors. A request refused for want of authorization
   * (step-up on 403 insufficient_scope) is authorized and sent once more.
   */
  request<T>(
    method: string,
    params: Record<string, unknown> | undefined,
    options: RequestOptions,
    check: ResultCheck<T>,
  ): Promise<T> {
    return this.#authorized(method, params, options, this.modern ? completeOnly(check, method) : check).catch(
      (err: unknown) => {
        throw this.error(err, options);
      },
    );
  }

  /** One request on the channel; refused for want of authorization (step-up), authorized and sent once more. */
  #authorized<T>(
    method: string,
    params: Record<string, unknown> | undefined,
    options: RequestOptions,
    check?: ResultCheck<T>,
  ): Promise<T> {
    const rpc = this.#parts.rpc;
    return rpc.request(method, params, options, check).catch(async (err: unknown) => {
      if (err instanceof UnauthorizedError && (await this.authorize()))
        return rpc.request(method, params, options, check);
      throw err;
    });
  }

  /**
   * A request that a 2026-07-28 server may answer `input_required` (MRTR): each round's input
   * requests go to the same handlers 2025 servers reach by request, rounds are reported to the
   * listener, and every retry goes out under a new id. In the 2025 era, a plain request. With
   * `acceptTask`, a `resultType: "task"` answer ends the rounds too (`check` reads it).
   */
  async requestWithInputs<T>(
    method: string,
    params: Record<string, unknown>,
    options: RequestOptions,
    check: ResultCheck<T>,
    acceptTask = false,
  ): Promise<T> {
    if (!this.modern) return this.request(method, params, options, check);
    try {
      const result = await runWithInputs(
        (m, p, signal) => this.#authorized(m, p, { ...options, signal }),
        { method, params },
        this.#parts.handlers,
        {
          server: this.#server,
          signal: options.signal,
          onRound: (round) => this.#parts.listener?.inputRequired?.({ method, ...round }),
          caller: options.caller,
          acceptTask,
        },
      );
      return check(result);
    } catch (err) {
      throw this.error(err, options);
    }
  }

  /**
   * The typed error for a failed request, built once, here: the SDK's own timer firing is the idle
   * timeout; a request that shows the session or the connection is gone ends the session too.
   */
  error(err: unknown, options: RequestOptions): UniversalMcpError {
    const server = this.#server;
    const loss = this.#parts.loss;
    const refused = this.#parts.http?.takeRefusal();
    if (refused !== undefined) return refused;
    let mapped = toUniversalError(err, server, 'request', options.signal);
    if (mapped.server === undefined) mapped = withServer(mapped, server);
    // A stateless 2026 server has no session to lose: its 404 means the endpoint is gone.
    if (this.modern && mapped.code === ErrorCode.SESSION_EXPIRED) {
      loss.mark(ErrorCode.CONNECTION_LOST, `the endpoint is gone (${boundText(mapped.message)})`);
      return new UniversalMcpError(ErrorCode.CONNECTION_LOST, `Connection to "${server}" lost: ${mapped.message}`, {
        server,
        cause: err,
      });
    }
    const cause = err instanceof Error ? err.message : String(err);
    if (mapped.code === ErrorCode.TIMEOUT && mapped.details === undefined) {
      const ms = options.reportedTimeoutMs ?? options.timeoutMs;
      return new UniversalMcpError(ErrorCode.TIMEOUT, `Request to "${server}" had no answer or progress for ${ms} ms`, {
        server,
        cause: err,
        details: { kind: 'idle', ms },
      });
    }
    if (mapped.code === ErrorCode.SESSION_EXPIRED) {
      loss.mark(ErrorCode.SESSION_EXPIRED, `session expired (${boundText(cause)})`);
      return mapped;
    }
    // Revoked credentials: this session can do nothing more; a new one authorizes afresh.
    if (mapped.code === ErrorCode.AUTH_FAILED && this.#parts.config.transport !== 'stdio') {
      loss.mark(ErrorCode.AUTH_FAILED, `the server no longer accepts our credentials (${boundText(cause)})`);
      return mapped;
    }
    if (mapped.code !== ErrorCode.CONNECTION_LOST) return mapped;
    loss.mark(ErrorCode.CONNECTION_LOST, describeNetworkError(err) ?? boundText(cause));
    // The transport reports a 404 or a 401 through onerror before the request itself fails, and
    // closing the session then rejects every request as "closed": keep the session's own reason.
    const lost = loss.reason;
    if (lost?.code === ErrorCode.SESSION_EXPIRED) {
      return new UniversalMcpError(ErrorCode.SESSION_EXPIRED, `Server "${server}" lost the session: ${lost.message}`, {
        server,
        cause: err,
      });
    }
    if (lost?.code === ErrorCode.AUTH_FAILED) {
      return new UniversalMcpError(ErrorCode.AUTH_FAILED, `Not authorized by "${server}": ${lost.message}`, {
        server,
        cause: err,
      });
    }
    return new UniversalMcpError(
      ErrorCode.CONNECTION_LOST,
      `Connection to "${server}" lost: ${lost?.message ?? cause}`,
      {
        server,
        cause: err,
        exit: this.#parts.exit(),
      },
    );
  }
}

/** The same error, told which server it concerns (a check that threw knew none). */
function withServer(err: UniversalMcpError, server: string): UniversalMcpError {
  return new UniversalMcpError(err.code, err.message, {
    server,
    cause: err.cause,
    rpcCode: err.rpcCode,
    details: err.details,
    exit: err.exit,
  });
}
