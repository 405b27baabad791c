import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import {
  CallToolRequestSchema,
  CompleteRequestSchema,
  ErrorCode as RpcErrorCode,
  GetPromptRequestSchema,
  ListPromptsRequestSchema,
  ListResourceTemplatesRequestSchema,
  ListResourcesRequestSchema,
  ListToolsRequestSchema,
  ReadResourceRequestSchema,
  RootsListChangedNotificationSchema,
  SubscribeRequestSchema,
  UnsubscribeRequestSchema,
  type CallToolResult,
  type RequestId,
} from '@modelcontextprotocol/sdk/types.js';
import { LazyJsonSchemaValidator } from '@universal-mcp/core/internal';
import { isUniversalMcpError, type CallOptions, type UniversalMcpClient } from '@universal-mcp/supervisor';
import type { Catalog } from './catalog.js';
import type { RequestRouter } from './request-router.js';
import type { Subscriptions } from './subscriptions.js';
import { boundResult, guardResponses } from './response-guard.js';
import { toWireError, WireError } from './wire-error.js';

/** What a downstream request's handler is given by the SDK and passes on upstream. */
interface RequestExtra {
  readonly signal: AbortSignal;
  readonly requestId: RequestId;
  readonly _meta?: { progressToken?: string | number | undefined } | undefined;
  sendNotification(notification: {
    method: 'notifications/progress';
    params: { progressToken: string | number; progress: number; total?: number; message?: string };
  }): Promise<void>;
}

/** The name and version the gateway gives downstream. */
export const GATEWAY_INFO = { name: 'universal-mcp-gateway', version: '0.1.0' };

/** The upstream call's options for a downstream request: its cancellation, and its progress relayed. */
function callOptions(extra: RequestExtra): CallOptions {
  const token = extra._meta?.progressToken;
  return {
    signal: extra.signal,
    ...(token === undefined
      ? {}
      : {
          onProgress: (p) =>
            void extra
              .sendNotification({
                method: 'notifications/progress',
                params: {
                  progressToken: token,
                  progress: p.progress,
                  ...(p.total === undefined ? {} : { total: p.total }),
                  ...(p.message === undefined ? {} : { message: p.message }),
                },
              })
              .catch(() => undefined),
        }),
  };
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
class SessionServer extends Server {
  override async connect(transport: Transport): Promise<void> {
    await super.connect(guardResponses(transport));
  }
}

/** What a session server works with besides the client. */
export interface SessionContext {
  readonly catalog: Catalog;
  readonly router: RequestRouter;
  readonly subscriptions: Subscriptions;
}

/**
 * An SDK `Server` for one downstream session, answering from the catalog and forwarding to the
 * client (so every policy — queue, timeouts, waiting through a reconnect — applies).
 */
export function createSessionServer(client: UniversalMcpClient, context: SessionContext): Server {
  const { catalog, router, subscriptions } = context;
  const expose = catalog.expose;
  /** Runs an upstream request with the router knowing whose it is (for sampling, elicitation, roots). */
  const upstream = async <T>(server: string, extra: RequestExtra, run: () => Promise<T>): Promise<T> => {
    const end = router.begin(server, session, extra.requestId);
    try {
      return boundResult(await run());
    } finally {
      end();
    }
  };
  const session = new SessionServer(GATEWAY_INFO, {
    // Elicitation answers are checked against the upstream server's schema: its patterns run on RE2.
    jsonSchemaValidator: new LazyJsonSchemaValidator(),
    capabilities: {
      logging: {},
      ...(expose.tools ? { tools: { listChanged: true } } : {}),
      ...(expose.prompts ? { prompts: { listChanged: true } } : {}),
      ...(expose.resources ? { resources: { listChanged: true, subscribe: true } } : {}),
      ...(expose.prompts || expose.resources ? { completions: {} } : {}),
    },
  });
  if (expose.tools) {
    session.setRequestHandler(ListToolsRequestSchema, () => ({
      tools: catalog.tools().map((t) => ({ ...t.definition, name: t.name })),
    }));
    session.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
      const tool = catalog.tool(request.params.name);
      if (tool === undefined) throw new WireError(RpcErrorCode.InvalidParams, `Unknown tool: ${request.params.name}`);
      try {
        return await upstream(tool.server, extra, () =>
          client.callTool(tool.server, tool.tool, request.params.arguments ?? {}, callOptions(extra)),
        );
      } catch (err) {
        return errorResult(err);
      }
    });
  }
  if (expose.prompts) {
    session.setRequestHandler(ListPromptsRequestSchema, () => ({ prompts: catalog.prompts() }));
    session.setRequestHandler(GetPromptRequestSchema, async (request, extra) => {
      const prompt = catalog.prompt(request.params.name);
      if (prompt === undefined)
        throw new WireError(RpcErrorCode.InvalidParams, `Unknown prompt: ${request.params.name}`);
      try {
        return await upstream(prompt.server, extra, () =>
          client.getPrompt(prompt.server, prompt.name, request.params.arguments, callOptions(extra)),
        );
      } catch (err) {
        throw toWireError(err);
      }
    });
  }
  if (expose.resources) {
    session.setRequestHandler(ListResourcesRequestSchema, () => ({ resources: catalog.resources() }));
    session.setRequestHandler(ListResourceTemplatesRequestSchema, () => ({
      resourceTemplates: catalog.resourceTemplates(),
    }));
    session.setRequestHandler(ReadResourceRequestSchema, async (request, extra) => {
      const ref = catalog.resolveUri(request.params.uri);
      // -32002: the spec's "resource not found".
      if (ref === undefined) throw new WireError(-32002, `Resource not found: ${request.params.uri}`);
      try {
        const result = await upstream(ref.server, extra, () =>
          client.readResource(ref.server, ref.uri, callOptions(extra)),
        );
        // The contents carry the URI the client asked for, not the upstream one.
        return { ...result, contents: result.contents.map((c) => ({ ...c, uri: request.params.uri })) };
      } catch (err) {
        throw toWireError(err);
      }
    });
    session.setRequestHandler(SubscribeRequestSchema, async (request, extra) => {
      const ref = catalog.resolveUri(request.params.uri);
      if (ref === undefined) throw new WireError(-32002, `Resource not found: ${request.params.uri}`);
      try {
        await subscriptions.subscribe(session, ref, request.params.uri, extra.signal);
      } catch (err) {
        throw toWireError(err);
      }
      return {};
    });
    session.setRequestHandler(UnsubscribeRequestSchema, async (request) => {
      const ref = catalog.resolveUri(request.params.uri);
      if (ref !== undefined) await subscriptions.unsubscribe(session, ref).catch(() => undefined);
      return {};
    });
  }
  if (expose.prompts || expose.resources) {
    session.setRequestHandler(CompleteRequestSchema, async (request, extra) => {
      const { ref, argument, context } = request.params;
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
        return await upstream(target.server, extra, () =>
          client.complete(target.server, target.ref, argument, context, callOptions(extra)),
        );
      } catch (err) {
        throw toWireError(err);
      }
    });
  }
  // The downstream client's roots changed: the servers that asked for them are told.
  session.setNotificationHandler(RootsListChangedNotificationSchema, () =>
    client.notifyRootsChanged().catch(() => undefined),
  );
  return session;
}
