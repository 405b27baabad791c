import type { Logger } from 'pino';
import type {
  ClientExtensions,
  ClientHandlers,
  ProtocolSetting,
  ResolvedPolicy,
  ServerConfig,
} from '@universal-mcp/core';
import type { connectionMachine, OutboundHosts } from '@universal-mcp/core/internal';
import type { EventHub } from './event-hub.js';
import type { UniversalMcpEvents } from './events.js';
import type { Telemetry } from './telemetry.js';
import type { ServerToolGate } from './tool-gate.js';

/** What a {@link SupervisedServer} is made with: the server, its policy, and what the client shares with it. */
export interface SupervisedServerOptions {
  config: ServerConfig;
  policy: ResolvedPolicy;
  logger: Logger;
  emitter: EventHub<UniversalMcpEvents>;
  /** When true, a failure before the first `ready` ends the server instead of restarting it. */
  failFirstAttempt: boolean;
  handlers?: ClientHandlers | undefined;
  /** Extensions every session declares (the facade's `apps`). */
  extensions?: ClientExtensions | undefined;
  /** The client-wide protocol setting (the config's own `protocol` wins). @default 'auto' */
  protocol?: ProtocolSetting | undefined;
  /** Where HTTP requests may go (the client's `outboundHosts`). */
  outboundHosts?: OutboundHosts | undefined;
  /** The connection machine, for tests that swap its actors. @default connectionMachine */
  machine?: typeof connectionMachine | undefined;
  /** Spans and metrics of this server's lifecycle. */
  telemetry?: Telemetry | undefined;
  /** Which tools are offered (policy, pins); every tool when unset. */
  gate?: ServerToolGate | undefined;
}
