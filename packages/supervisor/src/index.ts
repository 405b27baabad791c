export { UniversalMcpClient } from './universal-mcp-client.js';
export type { AddServerOptions, ApplyConfigResult, CompletionRef, UniversalMcpClientOptions, WhenReadyOptions } from './universal-mcp-client.js';
export type { CallOptions } from './supervised-server.js';
export type { ServerInfo } from './server-info.js';
export type {
  CallEndEvent,
  CallStartEvent,
  PromptsChangedEvent,
  ResourceUpdatedEvent,
  ResourcesChangedEvent,
  ServerLogEvent,
  ServerFailedEvent,
  ServerReadyEvent,
  ServerReconnectingEvent,
  ServerRemovedEvent,
  ServerStateEvent,
  ServerStderrEvent,
  ToolsChangedEvent,
  UniversalMcpEventName,
  UniversalMcpEvents,
} from './events.js';
export { DEFAULT_POLICY, RestartIntensity, backoffDelay, resolvePolicy, shouldRestart } from './restart-policy.js';
export type { BackoffPolicy, HealthPolicy, IntensityPolicy, QueuePolicy, ResolvedPolicy } from './restart-policy.js';
export { CallQueue } from './call-queue.js';
export { LogThrottle } from './log-throttle.js';
export { ErrorCode, UniversalMcpError, isUniversalMcpError, loadConfig } from '@universal-mcp/core';
export type { LoadedConfig } from '@universal-mcp/core';
export type {
  AuthorizationCodeConfig,
  CallToolResult,
  ClientHandlers,
  CompleteResult,
  ConnectionState,
  GetPromptResult,
  HandlerContext,
  HttpAuthConfig,
  InvalidTool,
  LoggingLevel,
  Prompt,
  ReadResourceResult,
  Resource,
  ResourceTemplate,
  RestartType,
  ServerConfig,
  ServerPolicy,
  Tool,
} from '@universal-mcp/core';
