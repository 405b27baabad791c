// The error surface of core, in one import for the files that throw or map errors. Each part lives in the file
// named after it: the base class, the code table, the error class, the mapper and its text helpers.
export { CodedError, HttpCodedError, isCodedError } from './coded-error.js';
export type { CodedErrorOptions } from './coded-error.js';
export { ErrorCode } from './error-codes.js';
export { UniversalMcpError, isUniversalMcpError } from './universal-mcp-error.js';
export type {
  ErrorDetails,
  ServerNotReady,
  UniversalMcpErrorOf,
  UniversalMcpErrorOptions,
} from './universal-mcp-error.js';
export {
  HEADER_MISMATCH_RPC_CODE,
  MALFORMED_MESSAGE_RPC_CODE,
  MESSAGE_TOO_LARGE_RPC_CODE,
  toUniversalError,
} from './error-mapping.js';
export type { ErrorPhase } from './error-mapping.js';
export { MAX_SERVER_TEXT, boundText, stripRpcPrefix } from './server-text.js';
export { classifyTransportError, describeNetworkError } from './network-errors.js';
export type { TransportErrorKind } from './network-errors.js';
