import {
  ProtocolErrorCode,
  Server,
  type CallToolResult,
  type InputRequiredResult,
  type ReadResourceResult,
  type ServerContext,
  type Tool,
  type Transport,
  type jsonSchemaValidator,
} from '@modelcontextprotocol/server';
import { APPS_CLIENT_CAPABILITY, APPS_EXTENSION, TASKS_EXTENSION, type Logger } from '@universal-mcp/core';
import { LazyJsonSchemaValidator, META_CLIENT_CAPABILITIES, META_LOG_LEVEL } from '@universal-mcp/core/internal';
import { isUniversalMcpError, type CallOptions, type UniversalMcpClient } from '@universal-mcp/supervisor';
import type { CacheHint } from './cache-hint.js';
import type { BrokeredCall, InputBroker } from './input-broker.js';
import type { GatewayCatalog } from './gateway-catalog.js';
import { requestCaller, sessionCaller, type DownstreamCaller } from './downstream-caller.js';
import type { RequestRouter } from './request-router.js';
import type { Subscriptions } from './subscriptions.js';
import type { ToolSource } from './tool-view.js';
import type { ToolEntry } from '@universal-mcp/toolset';
import { withShownApp } from './resource-names.js';
import { boundResult, guardResponses } from './response-guard.js';
import { missingCapability, toWireError, WireError } from './wire-error.js';
import { VERSION } from './version.js';
import { failureCode } from './gateway-errors.js';
import { answerOf, declaringTasks, principalOf, serveTasks2025, serveTasks2026, type TaskRelay } from './task-relay.js';
import { declaresTasks } from './task-wire-down.js';

/** The name and version the gateway gives downstream. */
export const GATEWAY_INFO = { name: 'universal-mcp-gateway', version: VERSION };

/** Which revision a server instance serves: a 2025-era session, or one 2026-07-28 request (or stdio connection). */
export type Era = 'legacy' | 'modern';

/** Relays an upstream call's progress to the downstream request, when it asked for progress. */
function progressOf(ctx: ServerContext): CallOptions['onProgress'] {
  const token = ctx.mcpReq._meta?.progressToken;
  return token === undefined
    ? undefined
    : (p) =>
        void ctx.mcpReq
          .notify({
            method: 'notifications/progress',
            params: {
              progressToken: token,
              progress: p.progress,
              ...(p.total === undefined ? {} : { total: p.total }),
              ...(p.message === undefined ? {} : { message: p.message }),
            },
          })
          // The downstream request ended (or its client went away): its progress has no one to go to.
          .catch(() => undefined);
}

/**
 * What a 2026 upstream is told of the client in a downstream request's place: the downstream
 * client's capabilities (so it asks only what that client can answer) and log level. A 2025
 * session's client gets every log message unless it sets a level (the gateway's session filters).
 */
function speaksFor(modern: boolean, ctx: ServerContext, session: Server): CallOptions {
  if (!modern) return { clientCapabilities: session.getClientCapabilities() ?? {}, logLevel: 'debug' };
  const envelope = ctx.mcpReq.envelope as Readonly<Record<string, unknown>> | undefined;
  const capabilities = envelope?.[META_CLIENT_CAPABILITIES];
  const level = envelope?.[META_LOG_LEVEL];
  return {
    clientCapabilities:
      typeof capabilities === 'object' && capabilities !== null ? (capabilities as Record<string, unknown>) : {},
    ...(typeof level === 'string' ? { logLevel: level as CallOptions['logLevel'] } : {}),
  };
}

/**
 * The upstream call's options for a downstream request: its cancellation, its progress relayed,
 * its caller (a 2026 upstream's input rounds go to it), and what it says of the client.
 */
function callOptions(ctx: ServerContext, caller: DownstreamCaller, client: CallOptions): CallOptions {
  const onProgress = progressOf(ctx);
  return { ...client, signal: ctx.mcpReq.signal, caller, ...(onProgress === undefined ? {} : { onProgress }) };
}

/** An upstream failure as a tool result: the error's code first, so a model and a person both see it. */
export function errorResult(err: unknown): CallToolResult {
  const code = isUniversalMcpError(err) ? err.code : 'INTERNAL';
  const message = err instanceof Error ? err.message : String(err);
  return {
    isError: true,
    content: [{ type: 'text', text: `${code}: ${message}` }],
    _meta: { 'universal-mcp/error': { code } },
  };
}

/** An SDK `Server` whose every downstream request gets an answer, even one its transport cannot send. */
class GatewayServer extends Server {
  override async connect(transport: Transport): Promise<void> {
    await super.connect(guardResponses(transport));
  }
}

/** What a gateway server works with besides the client. */
export interface SessionContext {
  readonly catalog: GatewayCatalog;
  /** The tools listed and called: an endpoint's view, or (unset) the whole catalog's. */
  readonly tools?: ToolSource | undefined;
  readonly router: RequestRouter;
  readonly subscriptions: Subscriptions;
  /** The protocol versions served (both eras' by default). */
  readonly versions: readonly string[];
  /** The 2026-07-28 cache fields of a list result (`ttlMs`, `cacheScope`); without a kind, of `server/discover`. */
  readonly cacheHint: (kind?: 'tools' | 'prompts' | 'resources') => CacheHint;
  /** Where 2026 calls wait for their client's answers between input rounds. */
  readonly broker: InputBroker;
  /** Where failures not thrown are logged (see `GatewayOptions.logger`). */
  readonly log: Logger;
  /** The client's tasks as downstream clients see them. */
  readonly relay: TaskRelay;
  /**
   * Whose tasks this instance's requests start and may see, without OAuth: its 2025 session, its stdio
   * connection, or (2026 over HTTP) the endpoint whose token opened it.
   */
  readonly principal: string;
}

/**
 * An SDK `Server` for one downstream session (`legacy`) or one 2026-07-28 request (`modern`),
 * answering from the catalog and forwarding to the client (so every policy — queue, timeouts,
 * waiting through a restart — applies).
 */
export function createSessionServer(era: Era, client: UniversalMcpClient, context: SessionContext): Server {
  const { catalog, router, subscriptions, broker, relay } = context;
  const expose = catalog.expose;
  const tools = context.tools ?? catalog;
  const modern = era === 'modern';
  /** Whose a downstream request is, for the upstream server's sampling, elicitation and roots requests. */
  const callerOf = (ctx: ServerContext): DownstreamCaller =>
    modern ? requestCaller(ctx.mcpReq.envelope) : sessionCaller(session, ctx.mcpReq.id);
  /**
   * Every upstream request of a downstream one goes through here: the router knows whose it is
   * while it runs, and its result is bounded.
   */
  const forward = async <T>(server: string, caller: DownstreamCaller, run: () => Promise<T>): Promise<T> => {
    const end = router.begin(server, caller);
    try {
      return boundResult(await run());
    } finally {
      end();
    }
  };
  /**
   * A request that may need the client's input (tools/call, prompts/get, resources/read). On a
   * 2025 session, the upstream's requests go on the session. A 2026 request's call runs in the
   * broker: what the upstream asks of the client comes back as an `input_required` round, and the
   * retry (its `requestState`) finds the call again and carries on with the answers.
   */
  const withInputs = async <T>(
    server: string,
    method: string,
    target: string,
    ctx: ServerContext,
    run: (options: CallOptions) => Promise<T>,
  ): Promise<T | InputRequiredResult> => {
    if (!modern) {
      const caller = sessionCaller(session, ctx.mcpReq.id);
      const speaks = speaksFor(false, ctx, session);
      const client = method === 'tools/call' && relay.offers(server) ? declaringTasks(speaks) : speaks;
      return forward(server, caller, () => run(callOptions(ctx, caller, client)));
    }
    const state = ctx.mcpReq.requestState<unknown>();
    let call: BrokeredCall<T>;
    if (typeof state === 'string') call = broker.resume<T>(state, method, target, ctx.mcpReq.inputResponses);
    else {
      const { offers } = requestCaller(ctx.mcpReq.envelope);
      const started = broker.start<T>(method, target, offers, ctx.mcpReq.inputResponses);
      started.run((signal) =>
        forward(server, started.caller, () =>
          run({ ...speaksFor(true, ctx, session), signal, caller: started.caller, onProgress: started.relay }),
        ),
      );
      call = started;
    }
    const outcome = await call.next(ctx.mcpReq.signal, progressOf(ctx) as (p: unknown) => void);
    // The broker's round is the wire's input_required result (its requests as the upstream made them).
    return 'complete' in outcome ? outcome.complete : (outcome.input as unknown as InputRequiredResult);
  };
  /** A list result, with its cache fields for a 2026 client. */
  const listed = <T extends object>(kind: 'tools' | 'prompts' | 'resources', result: T) =>
    modern ? { ...result, ...context.cacheHint(kind) } : result;
  /** Tasks pass through while an upstream can make them (decided when the instance is made). */
  const tasks = expose.tools && relay.anyOffers();
  const session: Server = new GatewayServer(GATEWAY_INFO, {
    supportedProtocolVersions: [...context.versions],
    // Elicitation answers are checked against the upstream server's schema: its patterns run on RE2.
    // (The client's and the server's SDK packages declare the same validator interface twice.)
    jsonSchemaValidator: new LazyJsonSchemaValidator() as unknown as jsonSchemaValidator,
    // The SDK builds the server/discover result; its cache fields come from here (2026 only).
    ...(modern ? { cacheHints: { 'server/discover': context.cacheHint() } } : {}),
    capabilities: {
      ...(modern ? {} : { logging: {} }),
      ...(expose.tools ? { tools: { listChanged: true } } : {}),
      ...(expose.prompts ? { prompts: { listChanged: true } } : {}),
      ...(expose.resources ? { resources: { listChanged: true, subscribe: true } } : {}),
      ...(expose.prompts || expose.resources ? { completions: {} } : {}),
      // 2025: the experimental tasks capability (2026 declares the extension instead, below).
      ...(tasks && !modern ? { tasks: { list: {}, cancel: {}, requests: { tools: { call: {} } } } } : {}),
      // MCP Apps pass through: tools keep their `_meta.ui` (URIs namespaced) and `ui://` resources are read
      // from their server. Declared always (not only while some upstream has an App), so it never flips.
      extensions: {
        [APPS_EXTENSION]: { mimeTypes: [...APPS_CLIENT_CAPABILITY.mimeTypes] },
        ...(tasks && modern ? { [TASKS_EXTENSION]: {} } : {}),
      },
    },
  });
  const ownerOf = (ctx: ServerContext): string => principalOf(ctx, context.principal);
  if (expose.tools) {
    session.setRequestHandler('tools/list', () =>
      listed('tools', {
        tools: tools.tools().map((t) => withShownApp(t.server, { ...taskSupportOf(t), name: t.name })),
      }),
    );
    /**
     * A 2025 client is told which tools may run as tasks: every tool of a task-making upstream may (a 2026
     * upstream has no per-tool flag; a 2025 upstream's own is kept).
     */
    const taskSupportOf = (t: ToolEntry): Tool =>
      !modern && tasks && t.definition.execution === undefined && relay.offers(t.server)
        ? { ...t.definition, execution: { taskSupport: 'optional' } }
        : t.definition;
    session.setRequestHandler('tools/call', async (request, ctx) => {
      // A tool outside this endpoint's view is refused as an unknown one (its existence is not told).
      const tool = tools.tool(request.params.name);
      if (tool === undefined)
        throw new WireError(ProtocolErrorCode.InvalidParams, `Unknown tool: ${request.params.name}`);
      const args = request.params.arguments ?? {};
      try {
        // A 2026 client that declared Tasks, calling a tool whose upstream makes them, may get a task back (with the
        // gateway's id); any other call is answered in full, a task upstream polled to its end underneath.
        if (modern && declaresTasks(ctx.mcpReq.envelope) && relay.offers(tool.server))
          return (await withInputs(tool.server, 'tools/call', request.params.name, ctx, async (options) =>
            answerOf(
              await relay.start(
                tool.server,
                tool.tool,
                args,
                { ...options, input: 'manual', owner: ownerOf(ctx) },
                options.signal,
              ),
            ),
          )) as CallToolResult;
        // A 2025 client asked for a task (params.task): started, and answered with the gateway's id.
        const asked = (request.params as { task?: { ttl?: unknown } }).task;
        if (!modern && tasks && typeof asked === 'object' && asked !== null && relay.offers(tool.server)) {
          // Requests during the tools/call itself go on its stream; the task's later input, on its tasks/result's.
          const caller = sessionCaller(session, ctx.mcpReq.id);
          const ttlMs = typeof asked.ttl === 'number' ? asked.ttl : undefined;
          const options = { ...declaringTasks(speaksFor(false, ctx, session)), caller, owner: ownerOf(ctx), ttlMs };
          return await forward(tool.server, caller, () =>
            relay.start2025(tool.server, tool.tool, args, options, ctx.mcpReq.signal),
          );
        }
        return await withInputs(tool.server, 'tools/call', request.params.name, ctx, (options) =>
          client.callTool(tool.server, tool.tool, args, options),
        );
      } catch (err) {
        // A requestState that cannot be used, or a capability the client lacks, is the request's fault, not the tool's.
        if (err instanceof WireError) throw err;
        const missing = missingCapability(err);
        if (missing !== undefined) throw missing;
        return errorResult(err);
      }
    });
  }
  // Served whatever the upstreams say now: a task started earlier stays readable while its server restarts.
  if (expose.tools && modern) serveTasks2026(session, relay, ownerOf);
  if (expose.tools && !modern)
    serveTasks2025(session, relay, {
      ownerOf,
      callerOf: (ctx) => sessionCaller(session, ctx.mcpReq.id),
    });
  if (expose.prompts) {
    session.setRequestHandler('prompts/list', () => listed('prompts', { prompts: catalog.prompts() }));
    session.setRequestHandler('prompts/get', async (request, ctx) => {
      const prompt = catalog.prompt(request.params.name);
      if (prompt === undefined)
        throw new WireError(ProtocolErrorCode.InvalidParams, `Unknown prompt: ${request.params.name}`);
      try {
        return await withInputs(prompt.server, 'prompts/get', request.params.name, ctx, (options) =>
          client.getPrompt(prompt.server, prompt.name, request.params.arguments, options),
        );
      } catch (err) {
        throw toWireError(err);
      }
    });
  }
  if (expose.resources) {
    // "Resource not found" is -32602 (invalid params) with the URI: the SDK sends -32002 so in both eras.
    const notFound = (uri: string): WireError =>
      new WireError(ProtocolErrorCode.InvalidParams, `Resource not found: ${uri}`, { uri });
    session.setRequestHandler('resources/list', () => listed('resources', { resources: catalog.resources() }));
    session.setRequestHandler('resources/templates/list', () =>
      listed('resources', { resourceTemplates: catalog.resourceTemplates() }),
    );
    session.setRequestHandler('resources/read', async (request, ctx) => {
      const ref = catalog.resolveUri(request.params.uri);
      if (ref === undefined) throw notFound(request.params.uri);
      try {
        const result = await withInputs(ref.server, 'resources/read', request.params.uri, ctx, (options) =>
          client.readResource(ref.server, ref.uri, options),
        );
        // A 2026 upstream's complete result says `resultType: "complete"`: only an input round is passed as it is.
        if (result.resultType === 'input_required') return result;
        const read = result as ReadResourceResult;
        // The contents carry the URI the client asked for, not the upstream one.
        return { ...read, contents: read.contents.map((c) => ({ ...c, uri: request.params.uri })) };
      } catch (err) {
        throw toWireError(err);
      }
    });
    if (!modern) {
      // 2026 clients subscribe through subscriptions/listen (the HTTP listener sees those).
      session.setRequestHandler('resources/subscribe', async (request, ctx) => {
        const ref = catalog.resolveUri(request.params.uri);
        if (ref === undefined) throw notFound(request.params.uri);
        try {
          await subscriptions.subscribe(session, updatedOn(session), ref, request.params.uri, ctx.mcpReq.signal);
        } catch (err) {
          throw toWireError(err);
        }
        return {};
      });
      session.setRequestHandler('resources/unsubscribe', async (request) => {
        const ref = catalog.resolveUri(request.params.uri);
        // The downstream client is unsubscribed whatever upstream says; a failure there is logged, not answered.
        if (ref !== undefined)
          await subscriptions
            .unsubscribe(session, ref)
            .catch((err: unknown) =>
              context.log.warn({ code: failureCode(err), server: ref.server }, 'resource not unsubscribed upstream'),
            );
        return {};
      });
    }
  }
  if (expose.prompts || expose.resources) {
    session.setRequestHandler('completion/complete', async (request, ctx) => {
      const { ref, argument, context: args } = request.params;
      const target =
        ref.type === 'ref/prompt'
          ? (() => {
              const p = catalog.prompt(ref.name);
              return p === undefined ? undefined : { server: p.server, ref: { ...ref, name: p.name } };
            })()
          : (() => {
              const t = catalog.template(ref.uri);
              return t === undefined ? undefined : { server: t.server, ref: { ...ref, uri: t.uriTemplate } };
            })();
      if (target === undefined) return { completion: { values: [] } };
      try {
        const caller = callerOf(ctx);
        return await forward(target.server, caller, () =>
          client.complete(
            target.server,
            target.ref,
            argument,
            args,
            callOptions(ctx, caller, speaksFor(modern, ctx, session)),
          ),
        );
      } catch (err) {
        throw toWireError(err);
      }
    });
  }
  // The downstream client's roots changed: the servers that asked for them are told.
  if (!modern)
    session.setNotificationHandler('notifications/roots/list_changed', () =>
      client
        .notifyRootsChanged()
        .catch((err: unknown) => context.log.warn({ code: failureCode(err) }, 'roots change not relayed upstream')),
    );
  return session;
}

/** How a 2025 session is told a resource it subscribed to was updated. */
export function updatedOn(session: Server): (uri: string) => void {
  // The session closed meanwhile: there is no one left to tell.
  return (uri) => void session.sendResourceUpdated({ uri }).catch(() => undefined);
}
