/**
 * The tools of every supervised server as one named, filtered set: unique provider-safe names, filters,
 * and calls routed to the right server through the client's tool policy. `@universal-mcp/llm` builds its
 * model toolset on it; the gateway shows it as one MCP server's tools.
 * @packageDocumentation
 * @module @universal-mcp/toolset
 */
export { Toolset, createToolset } from './toolset.js';
export type { ServerInstructions, ToolExtras, ToolsetEvents, ToolsetOptions } from './toolset.js';
export type { ToolEntry } from './tool-entry.js';
export type { ToolFilter, ToolFilterOption } from './tool-filter.js';
export { MAX_NAME_LENGTH, SAFE_NAME, ToolNameCollisionError, assignToolNames } from './tool-names.js';
export type { PrefixMode, ToolRef } from './tool-names.js';
