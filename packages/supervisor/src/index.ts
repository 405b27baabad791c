/**
 * Many MCP servers behind one object, each supervised: `UniversalMcpClient`, its options, events and errors.
 * @packageDocumentation
 * @module @universal-mcp/supervisor
 */
export { MAX_INSTRUCTIONS_CHARS, UniversalMcpClient } from './universal-mcp-client.js';
export type { ToolAccess, ToolChange } from './tool-gate.js';
export type { PinStore, PinnedTool, PinsData } from './pin-store.js';
export type {
  AddServerOptions,
  ApplyConfigResult,
  CompletionRef,
  FromConfigOptions,
  UniversalMcpClientOptions,
  WhenReadyOptions,
} from './client-options.js';
export type { CallOptions, CallProgress, StartToolOptions } from './call-options.js';
export type { TaskFailure, TaskFilter, TaskHandle, TaskPendingInput, TaskPhase, TaskSnapshot } from './task-handle.js';
export { FileTaskStore, MAX_TASKS_BYTES } from './file-task-store.js';
export { MAX_TASK_RECORDS, MemoryTaskStore } from './task-store.js';
export type { TaskEra, TaskRecord, TaskRecordStatus, TaskStore, TaskStoreOptions } from './task-store.js';
export { TelemetryAttributes, TelemetryMetrics } from './telemetry.js';
export type { TelemetryOptions } from './telemetry.js';
export type { ListFreshness, ServerInfo } from './server-info.js';
export { changeAction, needsApproval, notOffered } from './tool-rules.js';
export type { NotOfferedReason, ToolRules } from './tool-rules.js';
export type {
  CallEndEvent,
  CallStartEvent,
  InputRequestSummary,
  PromptsChangedEvent,
  ResourceUpdatedEvent,
  ResourcesChangedEvent,
  ServerGivenUpEvent,
  ServerInputRequiredEvent,
  ServerLogEvent,
  ServerReadyEvent,
  ServerReconnectingEvent,
  ServerRestartingEvent,
  ServerRemovedEvent,
  ServerStateEvent,
  ServerStderrEvent,
  ServerWarningEvent,
  ToolAcceptedEvent,
  ToolsChangedEvent,
  UniversalMcpEventName,
  UniversalMcpEvents,
} from './events.js';
export type { Unsubscribe } from './event-hub.js';
export {
  CodedError,
  DEFAULT_POLICY,
  ErrorCode,
  HttpCodedError,
  UniversalMcpError,
  createNodeFetch,
  describeExit,
  isCodedError,
  isUniversalMcpError,
  loadConfig,
  nodeFetch,
  parseConfigObject,
  PROTOCOL_2025,
  PROTOCOL_2026,
} from '@universal-mcp/core';
export type {
  AuthorizationCodeConfig,
  BackoffPolicy,
  CallToolResult,
  ClientHandlers,
  CompleteResult,
  ConfigFile,
  ConfigFileEntry,
  ConnectionState,
  CreateMessageRequest,
  CreateMessageResult,
  CrossAppAccessConfig,
  ElicitRequest,
  ElicitResult,
  ErrorDetails,
  GetPromptResult,
  HandlerContext,
  HealthPolicy,
  HostStyleServerConfig,
  HttpAuthConfig,
  HttpServerConfigBase,
  IntensityPolicy,
  InvalidTool,
  ListRootsResult,
  LoadConfigOptions,
  LoadedConfig,
  LoggingLevel,
  NodeFetch,
  NodeFetchOptions,
  ProcessExit,
  Prompt,
  ProtocolEra,
  ProtocolSetting,
  QueuePolicy,
  ReadResourceResult,
  Resource,
  ResourceTemplate,
  ResolvedPolicy,
  RestartType,
  ServerConfig,
  ServerConfigBase,
  ServerConfigInput,
  ServerNotReady,
  ServerPolicy,
  SseServerConfig,
  StdioServerConfig,
  StreamableHttpServerConfig,
  Tool,
  ToolChangeAction,
  ToolPolicy,
  TransportKind,
  UniversalMcpErrorOf,
} from '@universal-mcp/core';
