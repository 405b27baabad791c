// @universal-mcp/core/internal: what the other packages of this repo use below the public surface,
// each name only while a package's sources (or, for the actor types below, the supervisor's tests) import it. Not a
// promise to anyone else: it may change in any release. Who uses what is in docs/architecture.md.
// The worker, for the supervisor alone.
export { classifyTransportError, toUniversalError } from './errors.js';
export { parseHandlers } from './config.js';
export { MAX_TIMER_MS, POLICY_KEYS } from './policy.js';
export { connectionMachine, unavailable } from './connection-machine.js';
export type { ConnectionActor, ConnectionSnapshot } from './connection-machine.js';
export { McpSession } from './session.js';
export type { RequestOptions, Session } from './session.js';
// Tasks below the facade: the supervisor polls with Session.startTool/getTask; the gateway relays the wire.
export type { StartToolOptions, TaskStateWithResult } from './session-types.js';
export {
  DEFAULT_POLL_INTERVAL_MS,
  MAX_POLL_INTERVAL_MS,
  MAX_TASK_TTL_MS,
  MIN_POLL_INTERVAL_MS,
  checkTaskId,
} from './task-status.js';
export { META_RELATED_TASK, TaskMethod, advertisesTasks, withTasksExtension } from './task-wire.js';
export { readTaskSupport } from './tool-list.js';
export type { TaskSupport } from './tool-list.js';
// The types of the machine's actors, for the supervisor's tests that swap them (packages/supervisor/test/
// fake-connection.ts): read from core's sources they would be other declarations of McpSession (its
// #private fields make it nominal), which the type-check takes from dist.
export type { ConnectionEvent } from './connection-types.js';
export type { ConnectInput, DiscoverInput, WatchInput } from './connection-actors.js';
export type { SessionListener } from './session.js';
export type { ToolList } from './tool-list.js';
export { ArgumentValidator } from './argument-validator.js';
export { StderrTail } from './stderr-tail.js';
export { EMPTY_CATALOG } from './catalog.js';
export { OutboundHosts } from './outbound-hosts.js';
// Shared with the packages above the supervisor (llm, gateway, dashboard, cli).
export { boundText, describeNetworkError } from './errors.js';
export { isSecretName } from './config.js';
export { boundJson, jsonText } from './bounded-json.js';
export { inspectSchema } from './schema-limits.js';
// For an SDK `Server` (the gateway): its elicitInput validates answers against a schema an upstream server sent.
export { LazyJsonSchemaValidator } from './lazy-validator.js';
export { DEFAULT_MAX_MESSAGE_BYTES } from './http-session.js';
export { didYouMean, didYouMeanText } from './did-you-mean.js';
// The 2026-07-28 wire's names the gateway puts on the wire.
export { LEGACY_VERSIONS, META_CLIENT_CAPABILITIES, META_LOG_LEVEL, META_PROTOCOL_VERSION } from './protocol-era.js';
