export { ErrorCode, UniversalMcpError, classifyTransportError, isUniversalMcpError, toUniversalError } from './errors.js';
export type { ErrorPhase, TransportErrorKind, UniversalMcpErrorOptions } from './errors.js';
export { TRANSPORTS, parseServerConfig, parseServerPolicy, redactConfig, serverPolicySchema } from './config.js';
export type { RestartType, ServerConfig, ServerPolicy, SseServerConfig, StdioServerConfig, StreamableHttpServerConfig, TransportKind } from './config.js';
export { connectionMachine, unavailable } from './connection-machine.js';
export type {
  ConnectionActor,
  ConnectionContext,
  ConnectionEmitted,
  ConnectionEvent,
  ConnectionInput,
  ConnectionSink,
  ConnectionSnapshot,
  ConnectionState,
  HealthSettings,
} from './connection-machine.js';
export { McpSession, describeExit } from './session.js';
export type { LostReason, OpenSessionOptions, RequestOptions, SessionListener } from './session.js';
export { StdioProcessTransport } from './stdio-transport.js';
export type { ProcessExit, StdioProcessTransportOptions } from './stdio-transport.js';
export { LineSplitter } from './line-splitter.js';
export type { CallToolResult, Tool, Implementation, ServerCapabilities } from '@modelcontextprotocol/sdk/types.js';
