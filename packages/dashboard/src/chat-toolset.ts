import { toolApp } from '@universal-mcp/core';
import { Toolset, type ToolsetOptions } from '@universal-mcp/llm';
import type { CallOptions, CallToolResult, UniversalMcpClient } from '@universal-mcp/supervisor';
import { appResultToKeep, type KeptAppResult } from './app-result.js';
import { loggedCall, type ChatCallLog } from './logged-call.js';

export type { ChatCallLog } from './logged-call.js';

/**
 * The chat's toolset: every call it makes is written to the dashboard's history with source `chat`
 * and its (redacted) arguments. While a call runs it is claimed, so the client's `call:end` of it
 * is not taken for the embedding service's own call.
 */
export class ChatToolset extends Toolset {
  readonly #log: ChatCallLog | undefined;
  /** The results of tools with an App as the chat keeps them, by the call's arguments object. */
  readonly #appResults = new WeakMap<object, KeptAppResult>();

  constructor(client: UniversalMcpClient, options: ToolsetOptions, log?: ChatCallLog) {
    super(client, options);
    this.#log = log;
  }

  /**
   * The result of a call of a tool with an App, by the arguments object the call was made with:
   * bounded and redacted ({@link appResultToKeep}), the same live as after a reload.
   */
  appResult(args: unknown): KeptAppResult | undefined {
    return typeof args === 'object' && args !== null ? this.#appResults.get(args) : undefined;
  }

  override async call(name: string, args: unknown, options?: CallOptions): Promise<CallToolResult> {
    const tool = this.get(name);
    if (tool === undefined) return super.call(name, args, options);
    const keep = (result: CallToolResult): CallToolResult => {
      if (typeof args === 'object' && args !== null && toolApp(tool.definition).resourceUri !== undefined)
        this.#appResults.set(args, appResultToKeep(result));
      return result;
    };
    if (this.#log === undefined) return keep(await super.call(name, args, options));
    const log = this.#log;
    return keep(
      await loggedCall(log, { server: tool.server, tool: tool.tool, args, source: 'chat' }, () =>
        super.call(name, args, options),
      ),
    );
  }
}
