import { Client, type Implementation, type Transport } from '@modelcontextprotocol/client';
import { CatalogListing } from './catalog-listing.js';
import type { ServerConfig } from './config.js';
import { ConnectionLoss, lossOfTransportError } from './connection-loss.js';
import { negotiationFor } from './era-verdict.js';
import { capabilitiesFor, wireHandlers, type ClientExtensions, type ClientHandlers } from './handlers.js';
import { HttpSessionExtras } from './http-session.js';
import { LazyJsonSchemaValidator } from './lazy-validator.js';
import type { ProcessExit } from './process-exit.js';
import type { ProtocolSetting } from './protocol-era.js';
import { RequestChannel } from './request-channel.js';
import { SessionChannel } from './session-channel.js';
import type { OpenSessionOptions, SessionListener } from './session-types.js';
import { StderrTail } from './stderr-tail.js';
import { StdioProcessTransport } from './stdio-transport.js';
import { createTransport } from './transport-factory.js';
import { VERSION } from './version.js';

const CLIENT_INFO: Implementation = { name: 'universal-mcp', version: VERSION };

/** What one session is made of, wired together: the SDK client on a fresh transport and our own parts. */
export interface SessionParts {
  readonly config: ServerConfig;
  readonly setting: ProtocolSetting;
  readonly client: Client;
  readonly transport: Transport;
  readonly rpc: RequestChannel;
  readonly channel: SessionChannel;
  readonly lists: CatalogListing;
  readonly loss: ConnectionLoss;
  readonly http: HttpSessionExtras | undefined;
  readonly stderr: StderrTail;
  /** The config's handlers over the client-wide ones. */
  readonly handlers: ClientHandlers;
  readonly extensions: ClientExtensions | undefined;
  readonly clientInfo: Implementation;
  readonly listener: SessionListener | undefined;
}

/** What the session itself is told while its parts run. */
export interface SessionHooks {
  /** The SDK told the transport the version it agreed on. */
  protocolVersion(version: string): void;
  /** The session is closing: what the streams report then is no fault. */
  closing(): boolean;
}

/** How the stdio server's process ended, once it has (undefined for HTTP). */
export function exitOf(transport: Transport): ProcessExit | undefined {
  return transport instanceof StdioProcessTransport ? transport.exit : undefined;
}

/**
 * Builds a session's parts on a fresh transport and wires them: the server's notifications to
 * the listener and the loss watch, transport errors to the loss they mean.
 */
export function assembleSession(
  config: ServerConfig,
  options: OpenSessionOptions,
  setting: ProtocolSetting,
  hooks: SessionHooks,
): SessionParts {
  const listener = options.listener;
  const stderr = new StderrTail();
  const http = config.transport === 'stdio' ? undefined : new HttpSessionExtras(config, options.outboundHosts);
  const transport = createTransport(config, {
    listener: {
      stderr: (line) => {
        stderr.push(line);
        listener?.stderr?.(line);
      },
      warning: (message) => listener?.warning?.(message),
    },
    fetch: http?.fetch,
    outboundHosts: options.outboundHosts,
  });
  const rpc = new RequestChannel(transport);
  const loss = new ConnectionLoss(() => ({
    exit: exitOf(transport),
    stdoutClosed: transport instanceof StdioProcessTransport && transport.stdoutClosed,
  }));
  // The SDK tells the transport the version it agreed on: keep it (for telemetry).
  const told = transport.setProtocolVersion?.bind(transport);
  transport.setProtocolVersion = (version: string) => {
    hooks.protocolVersion(version);
    told?.(version);
  };
  const handlers = { ...options.handlers, ...config.handlers };
  const exit = (): ProcessExit | undefined => exitOf(transport);
  const channel = new SessionChannel({ config, rpc, transport, http, loss, handlers, listener, exit });
  const clientInfo = options.clientInfo ?? CLIENT_INFO;
  const client = new Client(clientInfo, {
    capabilities: capabilitiesFor(handlers, options.extensions),
    jsonSchemaValidator: new LazyJsonSchemaValidator(),
    // `server/discover` first (auto or pinned 2026) or the plain `initialize` (2025): see era-verdict.ts.
    versionNegotiation: negotiationFor(setting, options.timeoutMs),
  });
  wireHandlers(client, handlers, config.name);
  if (listener?.resourceUpdated !== undefined)
    client.setNotificationHandler('notifications/resources/updated', (n) => listener.resourceUpdated?.(n.params.uri));
  if (listener?.log !== undefined)
    client.setNotificationHandler('notifications/message', (n) => listener.log?.(n.params));
  client.setNotificationHandler('notifications/tools/list_changed', () => loss.listChanged('tools'));
  client.setNotificationHandler('notifications/resources/list_changed', () => loss.listChanged('resources'));
  client.setNotificationHandler('notifications/prompts/list_changed', () => loss.listChanged('prompts'));
  client.onclose = () => loss.mark();
  client.onerror = (err) => {
    // Closing ends the streams on purpose (a DELETE, an abort): what they report then is no fault.
    if (hooks.closing()) return;
    const lost = lossOfTransportError(err, {
      transport: config.transport,
      modern: channel.modern,
      pending: rpc.pending,
    });
    if (lost !== undefined) loss.mark(lost.code, lost.why);
    listener?.transportError?.(err);
  };
  return {
    config,
    setting,
    client,
    transport,
    rpc,
    channel,
    lists: new CatalogListing(config.name, channel),
    loss,
    http,
    stderr,
    handlers,
    extensions: options.extensions,
    clientInfo,
    listener,
  };
}
