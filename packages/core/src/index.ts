export { ErrorCode, UniversalMcpError, boundText, classifyTransportError, isUniversalMcpError, toUniversalError } from './errors.js';
export type { ErrorPhase, TransportErrorKind, UniversalMcpErrorOptions } from './errors.js';
export { MAX_TIMER_MS, TRANSPORTS, parseHandlers, parseServerConfig, parseServerPolicy, redactConfig, serverPolicySchema } from './config.js';
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
export { ArgumentValidator } from './argument-validator.js';
export { createNodeFetch, nodeFetch } from './node-fetch.js';
export type { NodeFetch, NodeFetchOptions } from './node-fetch.js';
export { loadConfig, parseConfigObject } from './config-file.js';
export type { LoadConfigOptions, LoadedConfig } from './config-file.js';
export { EMPTY_CATALOG } from './catalog.js';
export type { Catalog, CatalogKind, InvalidTool } from './catalog.js';
export { StderrTail } from './stderr-tail.js';
export { didYouMean } from './did-you-mean.js';
export type { ClientHandlers, HandlerContext } from './handlers.js';
export { AuthorizationCodeProvider, CrossAppAccessProvider, authProviderFor } from './auth-providers.js';
export type { AuthorizationCodeConfig, CrossAppAccessConfig, HttpAuthConfig } from './auth-providers.js';
export { DEFAULT_MAX_MESSAGE_BYTES, McpSession, describeExit } from './session.js';
export type { LostReason, OpenSessionOptions, RequestOptions, SessionListener, ToolList } from './session.js';
export { StdioProcessTransport } from './stdio-transport.js';
export type { ProcessExit, StdioProcessTransportOptions } from './stdio-transport.js';
export { LineSplitter } from './line-splitter.js';
export type {
  CallToolResult,
  CompleteRequest,
  CompleteResult,
  CreateMessageRequest,
  CreateMessageResult,
  ElicitRequest,
  ElicitResult,
  GetPromptResult,
  Implementation,
  ListRootsResult,
  LoggingLevel,
  LoggingMessageNotification,
  Prompt,
  ReadResourceResult,
  Resource,
  ResourceTemplate,
  ServerCapabilities,
  Tool,
} from '@modelcontextprotocol/sdk/types.js';
