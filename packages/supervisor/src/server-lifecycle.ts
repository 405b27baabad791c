import {
  ErrorCode,
  UniversalMcpError,
  parseServerPolicy,
  type LoadedConfig,
  type ServerConfig,
  type ServerPolicy,
  type ToolPolicy,
} from '@universal-mcp/core';
import type { ApplyConfigResult } from './client-options.js';
import { checkHosts } from './client-config-checks.js';
import { planReload, reloadResult } from './config-reload.js';
import { resolvePolicy } from './restart-policy.js';
import type { ServerInfo } from './server-info.js';
import type { ServerRegistry } from './server-registry.js';
import { SupervisedServer } from './supervised-server.js';
import type { SupervisedServerOptions } from './supervised-server-options.js';
import type { ToolGate } from './tool-gate.js';

/** What every supervised server is made with, from the client's options. */
export type SharedServerOptions = Omit<SupervisedServerOptions, 'config' | 'policy' | 'failFirstAttempt' | 'gate'>;

/** How a reload starts and stops servers: through the client's own `addServer` and `removeServer`. */
export interface ReloadActions {
  add(config: ServerConfig): Promise<unknown>;
  remove(name: string): Promise<void>;
}

/**
 * The client's servers from start to stop: each started with the client's `defaults` beneath its
 * own policy and its tool rules in the gate, stopped and forgotten, and moved to a new config
 * (hot reload) with policy changes applied live.
 */
export class ServerLifecycle {
  readonly #servers: ServerRegistry;
  readonly #gate: ToolGate;
  readonly #shared: SharedServerOptions;
  #defaults: ServerPolicy;
  /** The client's `tools` option: it wins over a config file's, on every reload. */
  readonly #optionTools: ToolPolicy | undefined;

  constructor(options: {
    servers: ServerRegistry;
    gate: ToolGate;
    shared: SharedServerOptions;
    defaults: ServerPolicy;
    optionTools: ToolPolicy | undefined;
  }) {
    this.#servers = options.servers;
    this.#gate = options.gate;
    this.#shared = options.shared;
    this.#defaults = options.defaults;
    this.#optionTools = options.optionTools;
  }

  /**
   * Starts supervising a parsed config (see `addServer`); rejects with `SERVER_EXISTS`,
   * `HOST_NOT_ALLOWED`, or (with `waitForReady`) the first attempt's error, keeping nothing.
   */
  async start(parsed: ServerConfig, waitForReady: boolean): Promise<ServerInfo> {
    if (this.#servers.has(parsed.name)) {
      throw new UniversalMcpError(ErrorCode.SERVER_EXISTS, `A server named "${parsed.name}" is already registered`, {
        server: parsed.name,
      });
    }
    checkHosts(this.#shared.outboundHosts, parsed);
    this.#gate.setServer(parsed.name, parsed.tools, parsed.trusted);
    const server = new SupervisedServer({
      ...this.#shared,
      config: parsed,
      policy: resolvePolicy(this.#defaults, parsed),
      failFirstAttempt: waitForReady,
      gate: this.#gate.forServer(parsed.name),
    });
    this.#servers.add(server);
    server.start();
    if (!waitForReady) return server.info();
    try {
      await server.firstReady;
    } catch (err) {
      if (this.#servers.delete(server)) this.#gate.removeServer(parsed.name);
      await server.stop('first connection attempt failed');
      throw err;
    }
    return server.info();
  }

  /** Stops the server and forgets it (unless a newer one took its name); then `server:removed`. */
  async stop(name: string, server: SupervisedServer): Promise<void> {
    if (this.#servers.delete(server)) this.#gate.removeServer(name);
    await server.stop('removed');
    this.#shared.emitter.emit('server:removed', { server: name });
  }

  /** Stops every server, whatever event listeners do, then writes the pins still pending. */
  async stopAll(): Promise<void> {
    await Promise.allSettled(this.#servers.entries().map(([name, server]) => this.stop(name, server)));
    await this.#gate.flush();
  }

  /** Moves to `loaded` (see `applyConfig`): everything checked first, then each server's step in order. */
  async reload(loaded: LoadedConfig, actions: ReloadActions): Promise<ApplyConfigResult> {
    const defaults = parseServerPolicy(loaded.defaults);
    for (const config of loaded.servers) checkHosts(this.#shared.outboundHosts, config);
    const wanted = new Map(loaded.servers.map((c) => [c.name, c]));
    const defaultsChanged = JSON.stringify(defaults) !== JSON.stringify(this.#defaults);
    this.#defaults = defaults;
    // The `tools` option wins over the file's, on a reload as in fromConfig.
    const tools = this.#optionTools ?? loaded.tools;
    const toolsChanged = JSON.stringify(tools) !== JSON.stringify(this.#gate.clientPolicy);
    this.#gate.setClientPolicy(tools);
    const running = this.#servers.entries().map(([name, s]) => [name, s.config] as const);
    const steps = planReload(running, wanted, defaultsChanged || toolsChanged);
    const jobs = steps.map((step): Promise<unknown> | undefined => {
      if (step.kind === 'removed') return actions.remove(step.name);
      if (step.kind === 'added') return actions.add(step.config);
      if (step.kind === 'restarted') return actions.remove(step.name).then(() => actions.add(step.config));
      const server = this.#servers.find(step.name);
      if (step.kind === 'updated' && server !== undefined) this.#update(server, step.config, defaults, toolsChanged);
      return undefined;
    });
    await Promise.all(jobs);
    const result = reloadResult(steps);
    this.#shared.logger.info({ ...result }, 'config applied');
    return result;
  }

  /** A server whose policy alone changed (or the client's `defaults` or `tools`): applied live, no restart. */
  #update(server: SupervisedServer, config: ServerConfig, defaults: ServerPolicy, toolsChanged: boolean): void {
    const name = config.name;
    server.updatePolicy(resolvePolicy(defaults, config));
    const rules = this.#gate.rules(name);
    const rulesChanged =
      toolsChanged || JSON.stringify(rules.server) !== JSON.stringify(config.tools) || rules.trusted !== config.trusted;
    this.#gate.setServer(name, config.tools, config.trusted);
    // What is offered may differ now: toolsets refresh on this.
    if (rulesChanged) this.#shared.emitter.emit('tools:changed', { server: name, tools: server.tools });
  }
}
