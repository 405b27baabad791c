import type { Tool } from '@universal-mcp/supervisor';

/** Which tools a toolset offers. */
export interface ToolFilter {
  /** Only these servers' tools. */
  readonly servers?: readonly string[] | undefined;
  /** Only these tools: a tool's name, or `server/tool`. */
  readonly include?: readonly string[] | undefined;
  /** Not these tools: a tool's name, or `server/tool`. */
  readonly exclude?: readonly string[] | undefined;
  /** Only tools annotated `readOnlyHint: true`. */
  readonly readOnly?: boolean | undefined;
}

/** A filter as data, or as a function of the server and the tool. */
export type ToolFilterOption = ToolFilter | ((server: string, tool: Tool) => boolean);

/** True when `filter` keeps `server`'s `tool` (no filter keeps every tool). */
export function keepsTool(filter: ToolFilterOption | undefined, server: string, tool: Tool): boolean {
  if (typeof filter === 'function') return filter(server, tool);
  if (filter === undefined) return true;
  const names = [tool.name, `${server}/${tool.name}`];
  if (filter.servers !== undefined && !filter.servers.includes(server)) return false;
  if (filter.include !== undefined && !names.some((n) => filter.include?.includes(n))) return false;
  if (filter.exclude?.some((n) => names.includes(n)) === true) return false;
  if (filter.readOnly === true && tool.annotations?.readOnlyHint !== true) return false;
  return true;
}
