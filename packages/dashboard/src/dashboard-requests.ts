import { DashboardError, DashboardErrorCode } from './dashboard-errors.js';
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'eventemitter3';
import type { ClientHandlers, HandlerContext } from '@universal-mcp/supervisor';

/** A server's sampling or elicitation request waiting for the operator. */
export interface PendingRequest {
  readonly id: string;
  readonly kind: 'sampling' | 'elicitation';
  readonly server: string;
  readonly params: unknown;
  readonly at: number;
}

type Kind = PendingRequest['kind'];

/** A JSON-RPC error the server receives (MCP's shape), without depending on the SDK here. */
class RequestRefused extends Error {
  readonly code: number;
  constructor(code: number, message: string) {
    super(message);
    this.code = code;
  }
}

/**
 * Sampling and elicitation requests raised by calls made in the dashboard, answered by the operator
 * in the page (approve as is or edited, or reject). Give `handlers` to the client and this object
 * to `createDashboard`. A request while no dashboard call is in flight on that server goes to
 * `fallback` (the service's own handlers), or is refused.
 */
export class DashboardRequests extends EventEmitter<{
  request: (r: PendingRequest) => void;
  settled: (id: string) => void;
}> {
  readonly #fallback: ClientHandlers;
  readonly #pending = new Map<string, { request: PendingRequest; resolve(v: unknown): void; reject(e: Error): void }>();
  #inFlight: (server: string) => boolean = () => false;
  /** The client's handlers: `new UniversalMcpClient({ handlers: requests.handlers })`. */
  readonly handlers: ClientHandlers;

  constructor(fallback: ClientHandlers = {}) {
    super();
    this.#fallback = fallback;
    this.handlers = {
      sampling: (params, context) =>
        this.#ask('sampling', params, context, () => fallback.sampling?.(params, context)) as never,
      elicitation: (params, context) =>
        this.#ask('elicitation', params, context, () => fallback.elicitation?.(params, context)) as never,
      ...(fallback.roots === undefined ? {} : { roots: fallback.roots }),
    };
  }

  /** Which servers have dashboard calls in flight (set by the dashboard). */
  watch(inFlight: (server: string) => boolean): void {
    this.#inFlight = inFlight;
  }

  #ask(kind: Kind, params: unknown, context: HandlerContext, fallback: () => unknown): Promise<unknown> {
    if (!this.#inFlight(context.server)) {
      if (this.#fallback[kind] !== undefined) return Promise.resolve(fallback());
      return Promise.reject(
        new RequestRefused(-32601, `No dashboard call in flight on "${context.server}" to answer ${kind}`),
      );
    }
    const request: PendingRequest = { id: randomUUID(), kind, server: context.server, params, at: Date.now() };
    return new Promise((resolve, reject) => {
      const settle = (): void => {
        this.#pending.delete(request.id);
        this.emit('settled', request.id);
      };
      this.#pending.set(request.id, {
        request,
        resolve: (v) => {
          settle();
          resolve(v);
        },
        reject: (e) => {
          settle();
          reject(e);
        },
      });
      context.signal.addEventListener(
        'abort',
        () => this.#pending.get(request.id)?.reject(new DashboardError(DashboardErrorCode.CANCELLED, 'cancelled')),
        {
          once: true,
        },
      );
      this.emit('request', request);
    });
  }

  /** The requests waiting now. */
  pending(): PendingRequest[] {
    return [...this.#pending.values()].map((p) => p.request);
  }

  /** Answers a request with `result` (the MCP result object); false when it is not waiting. */
  answer(id: string, result: unknown): boolean {
    const p = this.#pending.get(id);
    p?.resolve(result);
    return p !== undefined;
  }

  /** Rejects a request: a sampling request fails; an elicitation is declined. */
  reject(id: string): boolean {
    const p = this.#pending.get(id);
    if (p === undefined) return false;
    if (p.request.kind === 'elicitation') p.resolve({ action: 'decline' });
    else p.reject(new RequestRefused(-1, 'The operator rejected the sampling request'));
    return true;
  }
}

/** @deprecated Renamed {@link DashboardRequests} (the package and `umcp dashboard` say dashboard); goes in 1.0. */
export const ConsoleRequests = DashboardRequests;
/** @deprecated Renamed {@link DashboardRequests}; this name goes in 1.0. */
export type ConsoleRequests = DashboardRequests;
