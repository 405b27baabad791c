import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import {
  CallToolRequestSchema,
  CompleteRequestSchema,
  ErrorCode as RpcErrorCode,
  GetPromptRequestSchema,
  ListPromptsRequestSchema,
  ListResourceTemplatesRequestSchema,
  ListResourcesRequestSchema,
  ListToolsRequestSchema,
  McpError,
  ReadResourceRequestSchema,
  type CallToolResult,
} from '@modelcontextprotocol/sdk/types.js';
import { isUniversalMcpError, type CallOptions, type UniversalMcpClient } from '@universal-mcp/supervisor';
import type { Catalog } from './catalog.js';

/** What a downstream request's handler is given by the SDK and passes on upstream. */
interface RequestExtra {
  readonly signal: AbortSignal;
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

/** An upstream failure of a request that has no error result (prompts, resources, completions). */
function rpcError(err: unknown): McpError {
  if (err instanceof McpError) return err;
  const code = isUniversalMcpError(err) ? err.code : 'INTERNAL';
  return new McpError(RpcErrorCode.InternalError, `${code}: ${err instanceof Error ? err.message : String(err)}`, {
    code,
  });
}

/**
 * An SDK `Server` for one downstream session, answering from the catalog and forwarding to the
 * client (so every policy — queue, timeouts, waiting through a reconnect — applies).
 */
export function createSessionServer(client: UniversalMcpClient, catalog: Catalog): Server {
  const expose = catalog.expose;
  const server = new Server(GATEWAY_INFO, {
    capabilities: {
      logging: {},
      ...(expose.tools ? { tools: { listChanged: true } } : {}),
      ...(expose.prompts ? { prompts: { listChanged: true } } : {}),
      ...(expose.resources ? { resources: { listChanged: true } } : {}),
      ...(expose.prompts || expose.resources ? { completions: {} } : {}),
    },
  });
  if (expose.tools) {
    server.setRequestHandler(ListToolsRequestSchema, () => ({
      tools: catalog.tools().map((t) => ({ ...t.definition, name: t.name })),
    }));
    server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
      const tool = catalog.tool(request.params.name);
      if (tool === undefined) throw new McpError(RpcErrorCode.InvalidParams, `Unknown tool: ${request.params.name}`);
      try {
        return await client.callTool(tool.server, tool.tool, request.params.arguments ?? {}, callOptions(extra));
      } catch (err) {
        return errorResult(err);
      }
    });
  }
  if (expose.prompts) {
    server.setRequestHandler(ListPromptsRequestSchema, () => ({ prompts: catalog.prompts() }));
    server.setRequestHandler(GetPromptRequestSchema, async (request, extra) => {
      const prompt = catalog.prompt(request.params.name);
      if (prompt === undefined)
        throw new McpError(RpcErrorCode.InvalidParams, `Unknown prompt: ${request.params.name}`);
      try {
        return await client.getPrompt(prompt.server, prompt.name, request.params.arguments, callOptions(extra));
      } catch (err) {
        throw rpcError(err);
      }
    });
  }
  if (expose.resources) {
    server.setRequestHandler(ListResourcesRequestSchema, () => ({ resources: catalog.resources() }));
    server.setRequestHandler(ListResourceTemplatesRequestSchema, () => ({
      resourceTemplates: catalog.resourceTemplates(),
    }));
    server.setRequestHandler(ReadResourceRequestSchema, async (request, extra) => {
      const ref = catalog.resolveUri(request.params.uri);
      // -32002: the spec's "resource not found".
      if (ref === undefined) throw new McpError(-32002, `Resource not found: ${request.params.uri}`);
      try {
        const result = await client.readResource(ref.server, ref.uri, callOptions(extra));
        // The contents carry the URI the client asked for, not the upstream one.
        return { ...result, contents: result.contents.map((c) => ({ ...c, uri: request.params.uri })) };
      } catch (err) {
        throw rpcError(err);
      }
    });
  }
  if (expose.prompts || expose.resources) {
    server.setRequestHandler(CompleteRequestSchema, async (request, extra) => {
      const { ref, argument, context } = request.params;
      const target =
        ref.type === 'ref/prompt'
          ? (() => {
              const p = catalog.prompt(ref.name);
              return p === undefined ? undefined : { server: p.server, ref: { ...ref, name: p.name } };
            })()
          : (() => {
              const s = catalog.serverOfTemplate(ref.uri);
              return s === undefined ? undefined : { server: s, ref };
            })();
      if (target === undefined) return { completion: { values: [] } };
      try {
        return await client.complete(target.server, target.ref, argument, context, callOptions(extra));
      } catch (err) {
        throw rpcError(err);
      }
    });
  }
  return server;
}
