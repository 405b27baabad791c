// @universal-mcp/core/internal: what the other packages of this repo (the supervisor, the CLI) use
// below the public surface. Not a promise to anyone else: it may change in any release.
export { boundText, classifyTransportError, describeNetworkError, toUniversalError } from './errors.js';
export type { ErrorPhase, TransportErrorKind } from './errors.js';
export { isSecretName, parseHandlers } from './config.js';
export { boundJson, jsonText } from './bounded-json.js';
export type { BoundedJson, JsonBounds } from './bounded-json.js';
export { MAX_TIMER_MS, POLICY_KEYS, serverPolicySchema } from './policy.js';
export { connectionMachine, unavailable } from './connection-machine.js';
export type { ConnectionActor, ConnectionSnapshot } from './connection-machine.js';
export type { ConnectionContext, ConnectionEmitted, ConnectionEvent, ConnectionInput } from './connection-types.js';
export { discoverCatalog, openSession, watchSession } from './connection-actors.js';
export type { ConnectInput, DiscoverInput, WatchInput } from './connection-actors.js';
export { McpSession } from './session.js';
export type {
  ListFreshness,
  LostReason,
  OpenSessionOptions,
  RequestOptions,
  Session,
  SessionListener,
  WatchListener,
} from './session.js';
export type { EraVerdict } from './era-verdict.js';
export { MIN_LIST_TTL_MS } from './connection-actors.js';
export type { ToolList } from './tool-list.js';
export { inspectSchema } from './schema-limits.js';
// For an SDK `Server` (the gateway): its elicitInput validates answers against a schema an upstream server sent.
export { LazyJsonSchemaValidator } from './lazy-validator.js';
export { DEFAULT_MAX_MESSAGE_BYTES } from './http-session.js';
export { ArgumentValidator } from './argument-validator.js';
export { StderrTail } from './stderr-tail.js';
export { didYouMean, didYouMeanText } from './did-you-mean.js';
export { EMPTY_CATALOG } from './catalog.js';
export { StdioProcessTransport } from './stdio-transport.js';
export type { StdioProcessTransportOptions } from './stdio-transport.js';
export { LineSplitter } from './line-splitter.js';
export { AuthorizationCodeProvider, CrossAppAccessProvider, authProviderFor } from './auth-providers.js';
// The 2026-07-28 wire, as pure modules (the session and the gateway put them on the wire).
export {
  LEGACY_VERSIONS,
  META_CLIENT_CAPABILITIES,
  META_CLIENT_INFO,
  META_LOG_LEVEL,
  META_PROTOCOL_VERSION,
  META_SERVER_INFO,
  PROTOCOL_2025,
  PROTOCOL_2026,
  chooseVersion,
} from './protocol-era.js';
export type { ProtocolEra, ProtocolSetting, VersionChoice } from './protocol-era.js';
export { requestHeaders, withEnvelope } from './request-envelope.js';
export type { Envelope, RequestLike } from './request-envelope.js';
export { buildParamHeaders, checkParamHeaders, encodeHeaderValue } from './mcp-param-headers.js';
export type { ParamHeaderCheck, ParamHeaderDeclaration } from './mcp-param-headers.js';
export { InputRequiredError, runWithInputs } from './input-required.js';
export type {
  InputRequiredReason,
  InputRound,
  OriginalRequest,
  RunWithInputsOptions,
  SendRequest,
} from './input-required.js';
export { readDiscoverResult, readUnsupportedVersion } from './discover-result.js';
export type { DiscoverInfo, DiscoverRead, UnsupportedVersionData } from './discover-result.js';
export { toolPolicySchema } from './tool-policy.js';
export { OutboundHosts, guardFetch } from './outbound-hosts.js';
export type { GuardFetchOptions } from './outbound-hosts.js';
