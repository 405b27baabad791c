import { visibleToModel } from '@universal-mcp/core';
import { jsonText } from '@universal-mcp/core/internal';
import type {
  CallToolResult,
  ReadResourceResult,
  ServerInfo,
  ServerInputRequiredEvent,
  ServerStateEvent,
  Tool,
  UniversalMcpEventName,
} from '@universal-mcp/supervisor';

/** A result printed whole, but never deeper than JSON.stringify survives (a server chooses the depth). */
export const WHOLE = { maxDepth: 100, maxChars: Number.POSITIVE_INFINITY } as const;
/** What one `umcp watch` line carries of a server's data: a log message is a line, not a document. */
const EVENT_BOUNDS = { maxDepth: 32, maxChars: 64 * 1024 } as const;

/** A plain text table: columns padded to their widest cell. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

const firstLine = (s: string | undefined): string => (s ?? '').replace(/\n[^]*$/, '').trim();
/** `s` cut to `n` characters, the last one an ellipsis when cut. */
export const clip = (s: string, n: number): string => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/** `umcp servers`. */
export function serversTable(infos: readonly ServerInfo[]): string {
  return table(
    ['NAME', 'TRANSPORT', 'STATE', 'PROTOCOL', 'TOOLS', 'RESTARTS', 'LAST ERROR'],
    infos.map((i) => [
      i.name,
      i.transport,
      i.givenUp ? 'given up' : i.state,
      i.protocolVersion ?? i.era ?? '-',
      String(i.tools.length),
      String(i.restarts),
      clip(firstLine(i.lastError?.message), 80),
    ]),
  );
}

/** `umcp tools`. */
export function toolsTable(byServer: Record<string, Tool[]>): string {
  const rows = Object.entries(byServer).flatMap(([server, tools]) =>
    // An app-only tool is there for its App, never for a model: say so, or its absence from the chat puzzles.
    tools.map((t) => [server, visibleToModel(t) ? t.name : `${t.name} (app only)`, clip(firstLine(t.description), 80)]),
  );
  return table(['SERVER', 'TOOL', 'DESCRIPTION'], rows);
}

/** `umcp tools --search`: the ranked tools, best first. */
export function rankedToolsTable(ranked: readonly { server: string; tool: string; description: string }[]): string {
  const rows = ranked.map((t, i) => [String(i + 1), t.server, t.tool, clip(firstLine(t.description), 80)]);
  return table(['RANK', 'SERVER', 'TOOL', 'DESCRIPTION'], rows);
}

/**
 * Content as a person reads it: text as text, the rest described. Structured content is printed
 * (as JSON) only when there is no text, so that a pipe gets one document.
 */
export function renderContent(result: CallToolResult): string {
  const parts: string[] = [];
  for (const c of result.content ?? []) {
    switch (c.type) {
      case 'text':
        parts.push(c.text);
        break;
      case 'image':
      case 'audio':
        parts.push(`[${c.type}: ${c.mimeType}, ${Math.floor((c.data.length * 3) / 4)} bytes]`);
        break;
      case 'resource':
        parts.push('text' in c.resource ? c.resource.text : `[resource ${c.resource.uri}]`);
        break;
      case 'resource_link':
        parts.push(`[link ${c.uri}${c.name ? ` ${c.name}` : ''}]`);
        break;
    }
  }
  if (result.structuredContent !== undefined && !(result.content ?? []).some((c) => c.type === 'text'))
    parts.push(jsonText(result.structuredContent, WHOLE, 2));
  return parts.join('\n');
}

/** `umcp tools SERVER TOOL`: the whole description, the parameters and the annotations. */
export function renderTool(server: string, tool: Tool): string {
  const lines = [`${server}.${tool.name}${tool.title !== undefined ? `  (${tool.title})` : ''}`, ''];
  if (tool.description !== undefined && tool.description !== '') lines.push(tool.description.trim(), '');
  const schema = tool.inputSchema as {
    properties?: Record<string, { type?: unknown; description?: string; enum?: unknown[] }>;
    required?: string[];
  };
  const props = Object.entries(schema.properties ?? {});
  if (props.length === 0) lines.push('No parameters.');
  else {
    const required = new Set(schema.required ?? []);
    const type = (p: { type?: unknown; enum?: unknown[] }): string =>
      p.enum !== undefined
        ? p.enum.map((v) => JSON.stringify(v)).join(' | ')
        : Array.isArray(p.type)
          ? p.type.join(' | ')
          : typeof p.type === 'string'
            ? p.type
            : 'any';
    lines.push(
      table(
        ['PARAMETER', 'TYPE', 'REQUIRED', 'DESCRIPTION'],
        props.map(([name, p]) => [name, type(p), required.has(name) ? 'yes' : 'no', firstLine(p.description)]),
      ),
    );
  }
  if (tool.outputSchema !== undefined) lines.push('', 'Returns structured content (outputSchema; --json shows it).');
  const hints = Object.entries(tool.annotations ?? {})
    .filter(([k, v]) => k.endsWith('Hint') && v === true)
    .map(([k]) => k);
  if (hints.length > 0) lines.push('', `Annotations: ${hints.join(', ')}`);
  return lines.join('\n');
}

/** `umcp read`. */
export function renderResource(result: ReadResourceResult): string {
  return result.contents
    .map((c) =>
      'text' in c ? c.text : `[blob ${c.uri} ${c.mimeType ?? ''} ${Math.floor((c.blob.length * 3) / 4)} bytes]`,
    )
    .join('\n');
}

/** One line for `umcp watch`. */
export function eventLine(event: UniversalMcpEventName, payload: Record<string, unknown>, now = new Date()): string {
  const t = now.toISOString();
  const server = String(payload.server ?? '');
  switch (event) {
    case 'server:state': {
      const e = payload as unknown as ServerStateEvent;
      return `${t} ${server} ${e.from} → ${e.to}${e.reason ? `  (${e.reason})` : ''}`;
    }
    case 'server:restarting':
      return `${t} ${server} attempt ${Number(payload.attempt) + 1} in ${String(payload.delayMs)} ms`;
    case 'server:given-up':
      return `${t} ${server} given up: ${(payload.error as Error).message}`;
    case 'server:ready': {
      const version = typeof payload.protocolVersion === 'string' ? payload.protocolVersion : payload.era;
      return `${t} ${server} ready with ${(payload.tools as unknown[]).length} tools (${String(version)})`;
    }
    case 'server:input-required': {
      const e = payload as unknown as ServerInputRequiredEvent;
      const asked = e.requests.map((r) => r.method).join(', ');
      return `${t} ${server} input required by ${e.method}, round ${e.round}: ${asked}`;
    }
    case 'server:warning':
      return `${t} ${server} warning ${String(payload.kind)}: ${String(payload.tool)}: ${String(payload.reason)}`;
    case 'tools:changed':
      return `${t} ${server} tools changed: ${(payload.tools as Tool[]).map((x) => x.name).join(', ')}`;
    case 'server:stderr':
      return `${t} ${server} stderr: ${String(payload.line)}`;
    case 'server:log': {
      const data = typeof payload.data === 'string' ? payload.data : jsonText(payload.data, EVENT_BOUNDS);
      return `${t} ${server} log ${String(payload.level)}: ${data}`;
    }
    default:
      return `${t} ${server} ${event}`;
  }
}

/** One NDJSON line for `umcp watch --json`: errors as `{ code, message }`, catalogs as counts. */
export function eventJson(event: UniversalMcpEventName, payload: Record<string, unknown>, now = new Date()): string {
  const out: Record<string, unknown> = { t: now.toISOString(), event, ...payload };
  if (payload.error instanceof Error)
    out.error = { code: (payload.error as { code?: string }).code, message: payload.error.message };
  for (const key of ['tools', 'resources', 'resourceTemplates', 'prompts'])
    if (Array.isArray(payload[key])) out[key] = (payload[key] as unknown[]).length;
  return jsonText(out, EVENT_BOUNDS);
}
