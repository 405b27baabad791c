import { ErrorCode, UniversalMcpError } from '@universal-mcp/core';
import { ArgumentValidator, didYouMean, type ToolList } from '@universal-mcp/core/internal';
import type {
  CallToolResult,
  CompleteRequest,
  CompleteResult,
  GetPromptResult,
  LoggingLevel,
  ReadResourceResult,
  Tool,
} from '@universal-mcp/core';
import type { CallQueue } from './call-queue.js';
import { RequestPath, type Budget, type CallOptions, type Operation, type RequestHost } from './request-path.js';
import type { ServerCatalog } from './server-catalog.js';
import type { CarriedState } from './carried-state.js';
import type { RequestExtras, Telemetry, TelemetryTarget } from './telemetry.js';
import type { ServerToolGate } from './tool-gate.js';
import { makesTasks, type ToolOutcome } from './task-session.js';

/** What the request methods read of their server, live (the request path's host, and more). */
export interface ServerRequestsHost extends RequestHost {
  /** The server as telemetry sees it (the span of a re-listing before an unlisted tool's call). */
  readonly target: TelemetryTarget;
  readonly telemetry: Telemetry | undefined;
  readonly catalog: ServerCatalog;
  readonly gate: ServerToolGate | undefined;
  readonly carriedState: CarriedState;
  /** True once the server is being stopped. */
  stopping(): boolean;
  /** The tools of `tools` the gate offers. */
  offered(tools: Tool[]): Tool[];
}

/**
 * A supervised server's requests: each waits until the server serves (or is refused), then goes
 * through the request path; a tool call is first checked against the catalog, the tool gate and its
 * inputSchema, and an unlisted tool makes one fresh listing before it is called not found.
 */
export class ServerRequests {
  /** Budgets, waiting for the server, the queue, deadlines and the one safe retry of every request. */
  readonly path: RequestPath;
  readonly #host: ServerRequestsHost;
  readonly #validator = new ArgumentValidator();

  constructor(host: ServerRequestsHost, queue: CallQueue) {
    this.#host = host;
    this.path = new RequestPath(host, queue);
  }

  /** Runs `next` with the request's budget once the server serves requests (at once when it is ready). */
  #whenServing<T>(options: CallOptions | undefined, next: (budget: Budget) => Promise<T>): Promise<T> {
    const host = this.#host;
    let budget: Budget;
    try {
      budget = this.path.budget(options);
    } catch (err) {
      return Promise.reject(err);
    }
    if (host.session() !== undefined && !host.stopping()) return next(budget);
    return this.path.serving(budget).then(() => next(budget));
  }

  /** Calls a tool: checked against the catalog and its inputSchema, then sent through the queue. */
  callTool(tool: string, args: Record<string, unknown> | undefined, options?: CallOptions): Promise<CallToolResult> {
    return this.#whenServing(options, (budget) =>
      this.#callTool(tool, args, budget, true, (s, o) => s.callTool(tool, args, o)),
    );
  }

  /**
   * Calls a tool as {@link callTool} does, in one exchange that may end in a task (never polled here). A session
   * that makes no tasks is called as before and its result is a `complete` outcome.
   */
  startTool(
    tool: string,
    args: Record<string, unknown> | undefined,
    options: CallOptions | undefined,
    task: { wantTask?: boolean | undefined; ttlMs?: number | undefined },
  ): Promise<ToolOutcome> {
    const op: Operation<ToolOutcome> = (s, o) =>
      makesTasks(s)
        ? s.startTool(tool, args, { ...o, ...task })
        : s.callTool(tool, args, o).then((result) => ({ kind: 'complete', result }));
    return this.#whenServing(options, (budget) => this.#callTool(tool, args, budget, true, op));
  }

  #callTool<T>(
    tool: string,
    args: Record<string, unknown> | undefined,
    budget: Budget,
    mayRefresh: boolean,
    op: Operation<T>,
  ): Promise<T> {
    const known = this.#host.catalog.tool(tool);
    if (known === undefined) {
      const reason = this.#host.catalog.invalidReason(tool);
      if (reason !== undefined) {
        return Promise.reject(
          new UniversalMcpError(
            ErrorCode.TOOL_INVALID,
            `Tool "${tool}" on "${this.#host.name}" has a broken definition and cannot be called: ${reason}`,
            {
              server: this.#host.name,
              details: { tool, reason },
            },
          ),
        );
      }
      return mayRefresh ? this.#callUnlisted(tool, args, budget, op) : Promise.reject(this.#toolNotFound(tool));
    }
    // Before the arguments are checked or anything is queued: a tool not offered is not called at all.
    const denied = this.#host.gate?.denial(known);
    if (denied !== undefined) return Promise.reject(denied);
    if (this.#host.policy().validateArguments) {
      const invalid = this.#validator.check(this.#host.name, known, args);
      if (invalid !== undefined) return Promise.reject(invalid);
    }
    return this.path.send(op, budget, this.#host.catalog.isSafe(tool));
  }

  /**
   * A tool not in the catalog: list the tools once more (through the queue, within the call's budget), then call or
   * say it is not there. The listing is a request of its own: its own span, trace context and id, not the call's
   * (the call's `onSent` and span tell the id of the `tools/call` alone, and only if one is sent).
   */
  async #callUnlisted<T>(
    tool: string,
    args: Record<string, unknown> | undefined,
    budget: Budget,
    op: Operation<T>,
  ): Promise<T> {
    const session = this.#host.session();
    if (session?.capabilities?.tools !== undefined) {
      const list = (extra: RequestExtras | undefined): Promise<ToolList> =>
        this.path.send(
          (s, o) => s.listTools(o),
          { ...budget, onProgress: undefined, meta: extra?.meta, onSent: extra?.onSent },
          true,
        );
      const listed = await (this.#host.telemetry?.request(this.#host.target, { method: 'tools/list' }, list) ??
        list(undefined));
      if (this.#host.session() === session)
        this.#host.catalog.set(
          {
            ...this.#host.catalog.current,
            tools: listed.tools,
            invalidTools: listed.invalid,
            toolWarnings: listed.warnings,
          },
          ['tools'],
          true,
        );
    }
    return this.#callTool(tool, args, budget, false, op);
  }

  #toolNotFound(tool: string): UniversalMcpError {
    const name = this.#host.name;
    const available = this.#host.offered(this.#host.catalog.current.tools).map((t) => t.name);
    const guess = didYouMean(tool, available);
    return new UniversalMcpError(
      ErrorCode.TOOL_NOT_FOUND,
      `Tool "${tool}" not found on server "${name}"${guess === undefined ? '' : ` (did you mean "${guess}"?)`}. ` +
        `Available tools: ${available.length > 0 ? available.join(', ') : '(none)'}`,
      { server: name, details: { tool, available, didYouMean: guess } },
    );
  }

  /** Any other request: safe to retry once after a lost session. */
  #request<T>(op: Operation<T>, options: CallOptions | undefined): Promise<T> {
    return this.#whenServing(options, (budget) => this.path.send(op, budget, true));
  }

  /** Reads a resource. */
  readResource(uri: string, options?: CallOptions): Promise<ReadResourceResult> {
    return this.#request((s, o) => s.readResource(uri, o), options);
  }

  /** Subscribes to a resource's updates (`resource:updated`); kept across restarts. */
  async subscribeResource(uri: string, options?: CallOptions): Promise<void> {
    await this.#request((s, o) => s.subscribeResource(uri, o), options);
    this.#host.carriedState.subscriptions.add(uri);
  }

  async unsubscribeResource(uri: string, options?: CallOptions): Promise<void> {
    this.#host.carriedState.subscriptions.delete(uri);
    await this.#request((s, o) => s.unsubscribeResource(uri, o), options);
  }

  getPrompt(name: string, args: Record<string, string> | undefined, options?: CallOptions): Promise<GetPromptResult> {
    return this.#request((s, o) => s.getPrompt(name, args, o), options);
  }

  complete(params: CompleteRequest['params'], options?: CallOptions): Promise<CompleteResult> {
    return this.#request((s, o) => s.complete(params, o), options);
  }

  /** Sets the server's log level; re-applied after every restart. */
  async setLoggingLevel(level: LoggingLevel, options?: CallOptions): Promise<void> {
    this.#host.carriedState.logLevel = level;
    await this.#request((s, o) => s.setLoggingLevel(level, o), options);
  }

  /** Tells the server the client's roots changed. */
  async rootsChanged(): Promise<void> {
    const session = this.#host.session();
    if (session === undefined || this.#host.refusal() !== undefined) throw this.#host.unavailable();
    await session.rootsChanged();
  }
}
