import { EventEmitter } from 'eventemitter3';
import { visibleToModel } from '@universal-mcp/core';
import {
  ErrorCode,
  UniversalMcpError,
  type CallOptions,
  type CallToolResult,
  type Tool,
  type ToolAccess,
  type UniversalMcpClient,
} from '@universal-mcp/supervisor';
import type { ToolEntry } from './tool-entry.js';
import { keepsTool, type ToolFilterOption } from './tool-filter.js';
import { assignToolNames, type PrefixMode, type ToolRef } from './tool-names.js';

/** Options for {@link createToolset}. */
export interface ToolsetOptions {
  /**
   * When a tool's name gets its server's name in front (`server__tool`): `always`, only when two
   * servers share a name (`on-collision`), or `never` (a collision is then an error).
   * @default 'on-collision'
   */
  readonly prefix?: PrefixMode | undefined;
  /** Which tools to offer: a filter, or a function of the server and the tool. */
  readonly filter?: ToolFilterOption | undefined;
  /**
   * Keep app-only tools (MCP Apps `_meta.ui.visibility: ['app']`): only for a set that is no model's,
   * such as a gateway's, whose host hands them to the App. A model never sees them: it calls such a tool
   * as an unknown one.
   * @default false
   */
  readonly appOnly?: boolean | undefined;
}

/** A trusted server's instructions, for the model. */
export interface ServerInstructions {
  readonly server: string;
  /** As `client.instructions(server)` gives them: cut to `MAX_INSTRUCTIONS_CHARS`. */
  readonly text: string;
}

/** Events a {@link Toolset} emits. */
export interface ToolsetEvents<T extends ToolEntry = ToolEntry> {
  /** The tools changed (a server's catalog changed, a server came, went or was given up). */
  changed: (tools: readonly T[]) => void;
}

/** The fields a subclass adds to a {@link ToolEntry}. */
export type ToolExtras<T extends ToolEntry> = Omit<T, keyof ToolEntry>;

/**
 * The tools of a client's servers as one set: unique provider-safe names, each with what the
 * client's tool policy says of it. It offers only what `client.listTools()` offers (denied, held
 * and blocked tools are never here), each with `needsApproval`, `trusted`, `change`. It follows the
 * client: a catalog change, a change accepted, a server that comes or goes or is given up changes the
 * list (`changed`). Calls go through `client.callTool`, so every policy applies.
 *
 * A subclass adds fields to each entry with {@link Toolset.extend} (the llm package's toolset adds
 * each provider's schema) and may clean a call's arguments with {@link Toolset.arguments}.
 */
export class Toolset<T extends ToolEntry = ToolEntry> extends EventEmitter<ToolsetEvents<T>> {
  readonly #client: UniversalMcpClient;
  readonly #options: ToolsetOptions;
  #tools: T[] | undefined;
  #byName = new Map<string, T>();
  readonly #detach: () => void;

  constructor(client: UniversalMcpClient, options: ToolsetOptions = {}) {
    super();
    this.#client = client;
    this.#options = options;
    // The signature of the list as the last refresh left it: each refresh computes one, not two.
    let last: string | undefined;
    const refresh = (): void => {
      const before = last ?? (this.#tools === undefined ? undefined : signature(this.#tools));
      this.#tools = undefined;
      const after = this.list();
      last = signature(after);
      if (before !== last) this.emit('changed', after);
    };
    const events = [
      'tools:changed',
      'tool:changed',
      'tool:accepted',
      'server:ready',
      'server:given-up',
      'server:removed',
    ] as const;
    const detach = events.map((e) => client.on(e, refresh));
    this.#detach = () => {
      for (const off of detach) off();
    };
  }

  /**
   * What a subclass adds to a tool's entry, or undefined to leave the tool out (one it cannot take,
   * such as a schema past the limits: the set must not fail as a whole on one tool). Called before
   * names are given, so a tool left out takes no name.
   */
  protected extend(tool: Tool): ToolExtras<T> | undefined {
    void tool;
    // The base entry is the whole of a ToolEntry: nothing to add.
    return {} as ToolExtras<T>;
  }

  /** A call's arguments as the server gets them (a subclass may clean what a model sent). */
  protected arguments(entry: T, args: unknown): Record<string, unknown> {
    void entry;
    return (args ?? {}) as Record<string, unknown>;
  }

  /** The current tools, in a stable order (by server, then tool). */
  list(): T[] {
    this.#tools ??= this.#build();
    return this.#tools;
  }

  #build(): T[] {
    const entries: { ref: ToolRef; tool: Tool; access: ToolAccess; extras: ToolExtras<T> }[] = [];
    for (const server of this.#servers()) {
      const tools = [...this.#client.listTools(server)].sort((a, b) => a.name.localeCompare(b.name));
      for (const tool of tools) {
        // listTools offers only what the policy offers; asking again per tool keeps a tool that turned
        // held between the two answers out, and gives what the policy says of it.
        const access = this.#client.toolAccess(server, tool.name);
        if (access?.offered !== true || !keepsTool(this.#options.filter, server, tool)) continue;
        const extras = this.extend(tool);
        if (extras === undefined) continue;
        if (this.#options.appOnly !== true && !visibleToModel(tool)) continue;
        entries.push({ ref: { server, tool: tool.name }, tool, access, extras });
      }
    }
    const names = assignToolNames(
      entries.map((e) => e.ref),
      this.#options.prefix ?? 'on-collision',
    );
    const nameOf = new Map<string, string>();
    for (const [name, ref] of names) nameOf.set(`${ref.server}\u0000${ref.tool}`, name);
    const list = entries.map(({ ref, tool, access, extras }): T => {
      const entry: ToolEntry = {
        name: nameOf.get(`${ref.server}\u0000${ref.tool}`) ?? ref.tool,
        server: ref.server,
        tool: ref.tool,
        description: describe(tool),
        readOnly: tool.annotations?.readOnlyHint === true,
        needsApproval: access.needsApproval,
        trusted: access.trusted,
        ...(access.change === undefined ? {} : { change: access.change }),
        definition: tool,
      };
      // T is a ToolEntry with exactly the extras `extend` gave.
      return { ...entry, ...extras } as unknown as T;
    });
    this.#byName = new Map(list.map((t) => [t.name, t]));
    return list;
  }

  /** The servers this toolset takes tools from: not given up, and in the filter's `servers` when it has one. */
  #servers(): string[] {
    const filter = this.#options.filter;
    const only = typeof filter === 'object' ? filter.servers : undefined;
    return this.#client
      .listServers()
      .sort()
      .filter((s) => this.#client.getServerInfo(s)?.givenUp !== true && (only === undefined || only.includes(s)));
  }

  /**
   * The instructions of this toolset's trusted servers (`client.instructions`: an untrusted server's
   * never reach a model), each labelled with its server; undefined when none has any. The agent sends
   * them after the caller's own instructions; a caller with its own loop puts them in its system prompt.
   */
  instructions(): string | undefined {
    const parts = this.serverInstructions().map(
      ({ server, text }) => `Instructions from the MCP server "${server}":\n${text}`,
    );
    return parts.length === 0 ? undefined : parts.join('\n\n');
  }

  /** The trusted servers' instructions, one entry per server that has any (see {@link instructions}). */
  serverInstructions(): ServerInstructions[] {
    return this.#servers().flatMap((server) => {
      const text = this.#client.instructions(server);
      return text === undefined || text.trim() === '' ? [] : [{ server, text }];
    });
  }

  /** The tool a provider-safe name stands for. */
  resolve(name: string): { server: string; tool: string } | undefined {
    const t = this.get(name);
    return t === undefined ? undefined : { server: t.server, tool: t.tool };
  }

  /** The tool by its provider-safe name. */
  get(name: string): T | undefined {
    this.list();
    return this.#byName.get(name);
  }

  /**
   * Calls a tool by its provider-safe name through `client.callTool` (every policy applies;
   * arguments are checked against the server's own schema).
   */
  call(name: string, args: unknown, options?: CallOptions): Promise<CallToolResult> {
    const t = this.get(name);
    if (t === undefined) return Promise.reject(this.#notHere(name));
    return this.#client.callTool(t.server, t.tool, this.arguments(t, args), options);
  }

  /**
   * The error for a name this toolset does not offer: `TOOL_DENIED` (with the policy's reason) when a
   * server lists a tool by that name (or `server__tool`) that the policy does not offer, else
   * `TOOL_NOT_FOUND`. A model that guesses a hidden tool's name learns it is denied, never runs it.
   */
  #notHere(name: string): UniversalMcpError {
    const split = name.indexOf('__');
    const candidates: [string, string][] = this.#servers().map((s) => [s, name]);
    if (split > 0) candidates.unshift([name.slice(0, split), name.slice(split + 2)]);
    // The `server__` part is the model's text: a name that is no server's is no candidate (toolAccess would throw).
    const servers = new Set(this.#client.listServers());
    for (const [server, tool] of candidates) {
      if (!servers.has(server)) continue;
      const access = this.#client.toolAccess(server, tool);
      if (access === undefined || access.offered) continue;
      const reason = access.reason ?? 'denied';
      return new UniversalMcpError(ErrorCode.TOOL_DENIED, `Tool "${name}" is not offered (${reason})`, {
        server,
        details: { tool, reason },
      });
    }
    const available = this.list().map((t) => t.name);
    return new UniversalMcpError(ErrorCode.TOOL_NOT_FOUND, `No tool named "${name}" in this toolset`, {
      details: { tool: name, available: available.slice(0, 100) },
    });
  }

  /** Stops following the client. */
  close(): void {
    this.#detach();
    this.removeAllListeners();
  }
}

const describe = (tool: Tool): string => tool.description ?? tool.title ?? tool.annotations?.title ?? '';

/** What changes a toolset's look to a model: names, descriptions, schemas. */
function signature(tools: readonly ToolEntry[]): string {
  return JSON.stringify(tools.map((t) => [t.name, t.server, t.tool, t.description, t.definition.inputSchema]));
}

/** A toolset over a client's servers (see {@link Toolset}). */
export function createToolset(client: UniversalMcpClient, options: ToolsetOptions = {}): Toolset {
  return new Toolset(client, options);
}
