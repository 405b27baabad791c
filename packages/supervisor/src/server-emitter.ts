import type { Catalog, CatalogKind, Tool } from '@universal-mcp/core';
import type { EventHub } from './event-hub.js';
import type { ServerRestartingEvent, ServerStateEvent, UniversalMcpEvents } from './events.js';
import type { Telemetry, TelemetryTarget } from './telemetry.js';

/** A supervised server's events: each emitted on the client's hub, the lifecycle ones told to telemetry first. */
export class ServerEmitter {
  readonly #target: TelemetryTarget;
  readonly #hub: EventHub<UniversalMcpEvents>;
  readonly #telemetry: Telemetry | undefined;
  /** The code of the server's last error, for the span of a failed attempt. */
  readonly #lastErrorCode: () => string | undefined;

  constructor(
    target: TelemetryTarget,
    hub: EventHub<UniversalMcpEvents>,
    telemetry: Telemetry | undefined,
    lastErrorCode: () => string | undefined,
  ) {
    this.#target = target;
    this.#hub = hub;
    this.#telemetry = telemetry;
    this.#lastErrorCode = lastErrorCode;
  }

  emit<E extends keyof UniversalMcpEvents>(event: E, payload: Parameters<UniversalMcpEvents[E]>[0]): void {
    if (this.#telemetry !== undefined) {
      if (event === 'server:state')
        this.#telemetry.stateChanged(this.#target, payload as ServerStateEvent, this.#lastErrorCode());
      else if (event === 'server:restarting') {
        const e = payload as ServerRestartingEvent;
        this.#telemetry.restarting(this.#target, e.delayMs, e.error?.code);
      }
    }
    (this.#hub.emit as (e: E, p: unknown) => boolean)(event, payload);
  }

  /** A part of the catalog changed: `tools:changed` (the offered tools), `prompts:changed` or `resources:changed`. */
  announce(kind: CatalogKind, catalog: Catalog, offered: (tools: Tool[]) => Tool[]): void {
    const server = this.#target.name;
    if (kind === 'tools') this.emit('tools:changed', { server, tools: offered(catalog.tools) });
    else if (kind === 'prompts') this.emit('prompts:changed', { server, prompts: catalog.prompts });
    else
      this.emit('resources:changed', {
        server,
        resources: catalog.resources,
        resourceTemplates: catalog.resourceTemplates,
      });
  }
}
