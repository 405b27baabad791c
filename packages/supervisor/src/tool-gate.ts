// The client's one answer to "which tools are offered": the tool policies (client-wide and each server's) and
// the pinned definitions, consulted by listTools, toolAccess, the tool events and every call path.
import { ErrorCode, UniversalMcpError, type Tool, type ToolPolicy } from '@universal-mcp/core';
import { FilePinStore, type PinStore, type PinnedTool, type PinsData } from './pin-store.js';
import { changeAction, needsApproval, notOffered, type NotOfferedReason, type ToolRules } from './tool-rules.js';
import { definitionOf, describeChange, fingerprint } from './tool-pins.js';

/** A tool whose definition differs from its pin, or that shadows another server's tool, not yet accepted. */
export interface ToolChange {
  /** The server that lists the tool. */
  readonly server: string;
  /** The tool's name. */
  readonly tool: string;
  /** `redefined`: differs from the pinned definition; `shadows`: new, under a name another server offers. */
  readonly kind: 'redefined' | 'shadows';
  /** What the policy (`onChange` / `onShadow`) does with it: `warn` offers it, `hold` and `block` do not. */
  readonly action: 'warn' | 'hold' | 'block';
  /** One line per changed field, bounded (for `shadows`, the tool's definition against nothing). */
  readonly diff: string;
  /** For `shadows`: the other server that offers a tool of this name. */
  readonly shadows?: string | undefined;
  /**
   * The fingerprint (sha256, hex) of the definition the change is about: pass it to `acceptToolChange` so
   * that an accept reviewed against this definition never pins another. Always set on changes the client
   * reports (optional in the type only so that changes built by hand still type-check).
   */
  readonly sha256?: string | undefined;
}

/** Whether a tool is offered, and how its calls are to be treated. */
export interface ToolAccess {
  /** The server's name. */
  readonly server: string;
  /** The tool as the server lists it now. */
  readonly tool: Tool;
  /** True when the application may see and call it. */
  readonly offered: boolean;
  /** Why it is not offered: the policy's reason, or `held` / `blocked` for a change not accepted. */
  readonly reason?: NotOfferedReason | 'held' | 'blocked' | undefined;
  /** A call needs a person's approval (see `ToolPolicy.approval`). */
  readonly needsApproval: boolean;
  /** The server is marked `trusted`. */
  readonly trusted: boolean;
  /** Set while the tool differs from its pin, or shadows another server's, until accepted. */
  readonly change?: ToolChange | undefined;
}

/** What one server's catalog asks of the gate (see SupervisedServer). */
export interface ServerToolGate {
  /** Takes a new tool list: pins, detects changes. True when what is offered or flagged may have changed. */
  observe(tools: readonly Tool[]): boolean;
  /** The tools of `tools` that are offered. */
  offered(tools: readonly Tool[]): Tool[];
  /** The `TOOL_DENIED` error for a call of `tool`, or undefined when it may be called. */
  denial(tool: Tool): UniversalMcpError | undefined;
}

/** A change as kept: the action is read from the rules in force when asked. */
interface KeptChange {
  readonly kind: 'redefined' | 'shadows';
  readonly sha256: string;
  readonly diff: string;
  readonly shadows?: string | undefined;
  readonly tool: Tool;
}

/**
 * At most this many pins per server: past it, the pins of tools the server no longer lists are dropped, then
 * new tools are not pinned (a hostile server listing new names forever cannot grow the pins file forever).
 */
export const MAX_PINS_PER_SERVER = 2000;

// Null-prototype records: a tool named `constructor` or `__proto__` must not find Object.prototype's.
const emptyPins = (): Record<string, Record<string, PinnedTool>> => Object.create(null) as Record<string, never>;
const emptyTools = (): Record<string, PinnedTool> => Object.create(null) as Record<string, never>;

/** The client-wide side of the gate: rules by server, pins, changes. */
export class ToolGate {
  #client: ToolPolicy | undefined;
  readonly #rules = new Map<string, { server?: ToolPolicy | undefined; trusted?: boolean | undefined }>();
  readonly #tools = new Map<string, readonly Tool[]>();
  readonly #changes = new Map<string, Map<string, KeptChange>>();
  /**
   * `notOffered`'s answer per tool object (a server's tool objects are its own, new with each list), until a
   * rule changes: the globs are matched once, not on every call.
   */
  #verdicts = new WeakMap<Tool, { readonly server: string; readonly verdict: NotOfferedReason | 'offered' }>();
  readonly #pins: Record<string, Record<string, PinnedTool>>;
  readonly #store: PinStore | undefined;
  readonly #changed: (change: ToolChange) => void;
  readonly #saveFailed: (err: unknown) => void;
  #saving: Promise<void> = Promise.resolve();
  /** Servers already reported as at the pin cap (reported once, not on every list). */
  readonly #full = new Set<string>();

  /**
   * @param options.policy the client-wide policy
   * @param options.pins a file path or a store; unset keeps pins in memory
   * @param options.changed told of each new change (the `tool:changed` event)
   * @param options.saveFailed told when pins could not be written
   */
  constructor(options: {
    policy?: ToolPolicy | undefined;
    pins?: string | PinStore | undefined;
    changed: (change: ToolChange) => void;
    saveFailed: (err: unknown) => void;
  }) {
    this.#client = options.policy;
    this.#store = typeof options.pins === 'string' ? new FilePinStore(options.pins) : options.pins;
    const loaded = this.#store?.load();
    this.#pins = emptyPins();
    for (const [server, tools] of Object.entries(loaded?.servers ?? {}))
      this.#pins[server] = Object.assign(emptyTools(), tools);
    this.#changed = options.changed;
    this.#saveFailed = options.saveFailed;
  }

  /** The client-wide policy. */
  get clientPolicy(): ToolPolicy | undefined {
    return this.#client;
  }

  /** Sets the client-wide policy. */
  setClientPolicy(policy: ToolPolicy | undefined): void {
    this.#client = policy;
    this.#verdicts = new WeakMap();
  }

  /** Sets a server's own policy and trust (from its config). */
  setServer(server: string, policy: ToolPolicy | undefined, trusted: boolean | undefined): void {
    this.#rules.set(server, { server: policy, trusted });
    this.#verdicts = new WeakMap();
  }

  /** Forgets a removed server's list and changes; its pins stay (it may come back). */
  removeServer(server: string): void {
    this.#rules.delete(server);
    this.#tools.delete(server);
    this.#changes.delete(server);
    this.#verdicts = new WeakMap();
  }

  /** The rules that apply to `server`'s tools. */
  rules(server: string): ToolRules {
    const own = this.#rules.get(server);
    return { server: own?.server, client: this.#client, trusted: own?.trusted };
  }

  /** The view one server's catalog uses. */
  forServer(server: string): ServerToolGate {
    return {
      observe: (tools) => this.observe(server, tools),
      offered: (tools) => tools.filter((t) => this.#reason(server, t) === undefined),
      denial: (tool) => this.denial(server, tool),
    };
  }

  #action(server: string, change: KeptChange): 'warn' | 'hold' | 'block' {
    return changeAction(change.kind === 'redefined' ? 'change' : 'shadow', this.rules(server));
  }

  #reason(server: string, tool: Tool): ToolAccess['reason'] {
    // The rules' answer is asked on every call (and list): kept per tool object until the rules change.
    let kept = this.#verdicts.get(tool);
    if (kept?.server !== server) {
      kept = { server, verdict: notOffered(server, tool, this.rules(server)) ?? 'offered' };
      this.#verdicts.set(tool, kept);
    }
    if (kept.verdict !== 'offered') return kept.verdict;
    const change = this.#changes.get(server)?.get(tool.name);
    if (change === undefined) return undefined;
    const action = this.#action(server, change);
    return action === 'hold' ? 'held' : action === 'block' ? 'blocked' : undefined;
  }

  #public(server: string, change: KeptChange): ToolChange {
    return {
      server,
      tool: change.tool.name,
      kind: change.kind,
      action: this.#action(server, change),
      diff: change.diff,
      ...(change.shadows === undefined ? {} : { shadows: change.shadows }),
      sha256: change.sha256,
    };
  }

  /** Whether `tool` of `server` is offered, and how its calls are treated. */
  access(server: string, tool: Tool): ToolAccess {
    const rules = this.rules(server);
    const reason = this.#reason(server, tool);
    const change = this.#changes.get(server)?.get(tool.name);
    return {
      server,
      tool,
      offered: reason === undefined,
      ...(reason === undefined ? {} : { reason }),
      needsApproval: needsApproval(server, tool, rules),
      trusted: rules.trusted === true,
      ...(change === undefined ? {} : { change: this.#public(server, change) }),
    };
  }

  /** The `TOOL_DENIED` error for a call of `tool` on `server`, or undefined when it is offered. */
  denial(server: string, tool: Tool): UniversalMcpError | undefined {
    const reason = this.#reason(server, tool);
    if (reason === undefined) return undefined;
    const why = {
      denied: 'denied by the tool policy',
      'not-allowed': 'not in the tool policy’s allow list',
      'not-read-only': 'not annotated read-only, and the tool policy is readOnly',
      held: 'held: its definition changed and the change is not accepted',
      blocked: 'blocked: its definition changed and the change is not accepted',
    }[reason];
    return new UniversalMcpError(ErrorCode.TOOL_DENIED, `Tool "${tool.name}" on "${server}" is not offered: ${why}`, {
      server,
      details: { tool: tool.name, reason },
    });
  }

  /** Every change not yet accepted. */
  changes(): ToolChange[] {
    return [...this.#changes].flatMap(([server, changes]) => [...changes.values()].map((c) => this.#public(server, c)));
  }

  /**
   * The other server that offers or has pinned a tool named `name`: every server with pins counts, added or
   * not (a command that adds one server must still see that it shadows a tool pinned for another).
   */
  #shadowed(server: string, name: string): string | undefined {
    for (const other of new Set([...this.#rules.keys(), ...Object.keys(this.#pins)])) {
      if (other === server) continue;
      const pins = this.#pins[other];
      if (
        this.#tools.get(other)?.some((t) => t.name === name) === true ||
        (pins !== undefined && Object.hasOwn(pins, name))
      )
        return other;
    }
    return undefined;
  }

  /**
   * Pins `tool` unless `server` is at {@link MAX_PINS_PER_SERVER}: then the pins of tools it no longer lists go
   * first, and when none are left the tool stays unpinned (logged by count only). False when not pinned.
   */
  #pin(server: string, pins: Record<string, PinnedTool>, listed: ReadonlySet<string>, tool: Tool): boolean {
    if (!Object.hasOwn(pins, tool.name) && Object.keys(pins).length >= MAX_PINS_PER_SERVER) {
      for (const name of Object.keys(pins)) if (!listed.has(name)) Reflect.deleteProperty(pins, name);
      if (Object.keys(pins).length >= MAX_PINS_PER_SERVER) {
        this.#pinsFull(server);
        return false;
      }
    }
    pins[tool.name] = pinOf(tool);
    return true;
  }

  #pinsFull(server: string): void {
    if (this.#full.has(server)) return;
    this.#full.add(server);
    this.#saveFailed(
      new UniversalMcpError(
        ErrorCode.CONFIG_INVALID,
        `Server "${server}" has ${MAX_PINS_PER_SERVER} pinned tools; its new tools are not pinned`,
        { server, details: { field: 'pins' } },
      ),
    );
  }

  /** Takes `server`'s new tool list: trust on first use, else pins new tools and records changes. */
  observe(server: string, tools: readonly Tool[]): boolean {
    this.#tools.set(server, tools);
    const listed = new Set(tools.map((t) => t.name));
    const pins = this.#pins[server];
    if (pins === undefined) {
      const fresh = emptyTools();
      for (const tool of tools) this.#pin(server, fresh, listed, tool);
      this.#pins[server] = fresh;
      void this.#save();
      return false;
    }
    const before = this.#changes.get(server) ?? new Map<string, KeptChange>();
    const after = new Map<string, KeptChange>();
    const news: KeptChange[] = [];
    let pinned = false;
    let flagged = false;
    for (const tool of tools) {
      const definition = definitionOf(tool);
      const sha256 = fingerprint(definition);
      const pin = Object.hasOwn(pins, tool.name) ? pins[tool.name] : undefined;
      const kept = before.get(tool.name);
      let change: KeptChange | undefined;
      if (pin !== undefined) {
        if (pin.sha256 !== sha256)
          change = { kind: 'redefined', sha256, diff: describeChange(pin.definition, definition), tool };
        // A blocked change stays until accepted, even when the server goes back to the pinned definition.
        else if (kept !== undefined && this.#action(server, kept) === 'block') change = kept;
      } else {
        const other = this.#shadowed(server, tool.name);
        if (other !== undefined)
          change = { kind: 'shadows', sha256, diff: describeChange({}, definition), shadows: other, tool };
        else if (this.#pin(server, pins, listed, tool)) pinned = true;
      }
      if (change === undefined) {
        if (kept !== undefined) flagged = true;
        continue;
      }
      if (kept !== undefined && kept.sha256 === change.sha256 && kept.kind === change.kind) {
        after.set(tool.name, { ...kept, tool });
        continue;
      }
      after.set(tool.name, change);
      flagged = true;
      news.push(change);
    }
    if (after.size > 0) this.#changes.set(server, after);
    else this.#changes.delete(server);
    if (pinned) void this.#save();
    // Told only once every change is recorded: a listener that asks toolAccess must see the change.
    for (const change of news) this.#changed(this.#public(server, change));
    return flagged || before.size !== after.size;
  }

  /**
   * Pins the current definition of a changed tool, persisted before it resolves (rejects, nothing accepted,
   * when the pins could not be written). False when there was nothing to accept, or when `sha256` is given and
   * is not the current definition's (an accept reviewed against one definition never pins another).
   */
  async accept(server: string, tool: string, sha256?: string): Promise<boolean> {
    const changes = this.#changes.get(server);
    const change = changes?.get(tool);
    if (changes === undefined || change === undefined) return false;
    if (sha256 !== undefined && sha256 !== change.sha256) return false;
    const pins = (this.#pins[server] ??= emptyTools());
    const previous = Object.hasOwn(pins, tool) ? pins[tool] : undefined;
    changes.delete(tool);
    if (changes.size === 0) this.#changes.delete(server);
    pins[tool] = pinOf(change.tool);
    try {
      await this.#save();
    } catch (err) {
      // Not persisted, so not accepted: the change stands as it was (a restart would flag it again anyway).
      if (previous === undefined) Reflect.deleteProperty(pins, tool);
      else pins[tool] = previous;
      const kept = this.#changes.get(server) ?? new Map<string, KeptChange>();
      kept.set(tool, change);
      this.#changes.set(server, kept);
      throw err;
    }
    return true;
  }

  /** Resolves once every pin written so far is stored. */
  flush(): Promise<void> {
    return this.#saving;
  }

  /**
   * Writes every pin, one write at a time (the last one holds the latest pins). The returned promise is this
   * write's outcome (for accept); a failure is also told to `saveFailed`, so callers that do not wait lose nothing.
   */
  #save(): Promise<void> {
    const store = this.#store;
    if (store === undefined) return Promise.resolve();
    const data = (): PinsData => ({ version: 1, servers: this.#pins });
    const write = this.#saving.then(() => store.save(data()));
    this.#saving = write.catch((err: unknown) => this.#saveFailed(err));
    return write;
  }
}

function pinOf(tool: Tool): PinnedTool {
  const definition = definitionOf(tool);
  return { sha256: fingerprint(definition), definition };
}
