import { createMcpHandler, type Server } from '@modelcontextprotocol/server';
import type { GatewayHost } from './gateway-host.js';
import { LegacySseSessions } from './legacy-sse.js';
import type { Revision } from './revisions.js';
import type { Era } from './session-server.js';
import type { ToolView } from './tool-view.js';

/** How every endpoint of one listener is served. */
export interface ServeSettings {
  readonly revisions: readonly Revision[];
  readonly maxBodyBytes: number;
  readonly maxSseStreams: number;
}

/** What tells one endpoint of a listener from another. */
export interface EndpointSpec {
  /** Undefined for the main endpoint. */
  readonly name: string | undefined;
  readonly path: string;
  /** The bearer token it needs (undefined: none, the main endpoint with `token: false`). */
  readonly token: string | undefined;
  readonly ssePath: string | false;
  readonly messagesPath: string | undefined;
  /** Its view of the tools (undefined: the whole catalog). */
  readonly view: ToolView | undefined;
}

/** One endpoint of a listener: its spec, and the handlers of each transport for it. */
export interface ServedEndpoint extends EndpointSpec {
  /** A server instance of `era` for this endpoint. */
  create(era: Era): Server;
  /** Its legacy HTTP+SSE sessions (undefined when it has none). */
  readonly legacy: LegacySseSessions | undefined;
  /** Its 2026-07-28 handler (undefined when that revision is not served). */
  readonly modern: ReturnType<typeof createMcpHandler> | undefined;
  close(): Promise<void>;
}

/** The handlers of one endpoint of a listener: each endpoint's clients see its view only. */
export function serveEndpoint(gateway: GatewayHost, spec: EndpointSpec, settings: ServeSettings): ServedEndpoint {
  // Its 2026 requests' tasks are the endpoint's (its token opened them), named so they outlive a gateway restart.
  const principal = `endpoint:${spec.name ?? ''}`;
  const create = (era: Era): Server =>
    gateway.createServer(era, settings.revisions, spec.view, era === 'modern' ? principal : undefined);
  const legacy =
    spec.ssePath === false || spec.messagesPath === undefined
      ? undefined
      : new LegacySseSessions(
          (transport) => create('legacy').connect(transport),
          spec.messagesPath,
          settings.maxSseStreams,
        );
  // 2026-07-28 requests: a server instance each; 2025-era ones never reach it (the listener routes
  // them), and with 2025 not served it answers them with the unsupported-version error.
  const modern = settings.revisions.includes('2026-07-28')
    ? createMcpHandler(() => create('modern'), {
        legacy: 'reject',
        // An endpoint's 2026 clients hear of its own changes only.
        bus: spec.view?.bus ?? gateway.bus,
        maxRequestBodySize: settings.maxBodyBytes,
      })
    : undefined;
  return {
    ...spec,
    create,
    legacy,
    modern,
    close: async () => {
      await legacy?.close();
      await modern?.close();
    },
  };
}
