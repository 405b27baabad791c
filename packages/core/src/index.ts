// The public surface of @universal-mcp/core: what a program may import and rely on. What only the
// other packages of this repo need (the machine, the session, the transports) is in ./internal.
export { ErrorCode, UniversalMcpError, isUniversalMcpError } from './errors.js';
export type { ErrorDetails, ServerNotReady, UniversalMcpErrorOf, UniversalMcpErrorOptions } from './errors.js';
export { CodedError, HttpCodedError, isCodedError } from './errors.js';
export type { CodedErrorOptions } from './errors.js';
export { silentLogger } from './logger.js';
export type { LogFn, Logger } from './logger.js';
export { TRANSPORTS, parseServerConfig, parseServerPolicy } from './config.js';
export { redactConfig } from './config-redaction.js';
export type {
  HostStyleServerConfig,
  HttpServerConfigBase,
  ServerConfig,
  ServerConfigBase,
  ServerConfigInput,
  SseServerConfig,
  StdioServerConfig,
  StreamableHttpServerConfig,
  TransportKind,
} from './config.js';
export { DEFAULT_POLICY } from './policy.js';
export type {
  BackoffPolicy,
  HealthPolicy,
  IntensityPolicy,
  QueuePolicy,
  ResolvedPolicy,
  RestartType,
  ServerPolicy,
} from './policy.js';
export { loadConfig, parseConfigObject } from './config-file.js';
export type { ConfigFile, ConfigFileEntry, LoadConfigOptions, LoadedConfig } from './config-file.js';
export type { EndpointConfig } from './config-endpoints.js';
export { createNodeFetch, nodeFetch } from './node-fetch.js';
export type { NodeFetch, NodeFetchOptions } from './node-fetch.js';
export { describeExit } from './process-exit.js';
export type { ProcessExit } from './process-exit.js';
export type { ConnectionState } from './connection-types.js';
export type { ToolChangeAction, ToolPolicy } from './tool-policy.js';
export {
  APP_MIME_TYPE,
  APPS_CLIENT_CAPABILITY,
  APPS_EXTENSION,
  callableByApp,
  toolApp,
  visibleToModel,
} from './app-meta.js';
export type { AppVisibility, ToolApp } from './app-meta.js';
export { PROTOCOL_2025, PROTOCOL_2026 } from './protocol-era.js';
export type { ProtocolEra, ProtocolSetting } from './protocol-era.js';
export type { InputRound } from './session.js';
// Tasks (2026-07-28 extension io.modelcontextprotocol/tasks; 2025-11-25 experimental tasks), normalised.
export { TASKS_EXTENSION, isTerminalStatus } from './task-status.js';
export type { TaskInfo, TaskStatus } from './task-status.js';
export type { TaskError, TaskInputRequest, TaskState } from './task-wire.js';
export type { ToolOutcome } from './session-types.js';
export type { CacheScope, Catalog, CatalogKind, InvalidTool, ToolWarning } from './catalog.js';
export { DEFAULT_SCHEMA_LIMITS } from './schema-limits.js';
export type { SchemaLimits } from './schema-limits.js';
export type { ClientExtensions, ClientHandlers, HandlerContext } from './handlers.js';
export type { AuthorizationCodeConfig, CrossAppAccessConfig, HttpAuthConfig } from './auth-providers.js';
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
  ResourceTemplateType as ResourceTemplate,
  ServerCapabilities,
  Tool,
} from '@modelcontextprotocol/client';
