/**
 * One guard for every listener Universal MCP opens (the gateway and the console): the token, the
 * `Host` allow-list, the `Origin` check and the loopback rule, as pure functions of a request's
 * headers. Each listener adapts it to its server (node `http`, Hono).
 *
 * @packageDocumentation
 */
export { bearerToken, checkTokenLength, newToken, sameToken } from './access-token.js';
export { GuardError, GuardErrorCode, MIN_TOKEN_LENGTH } from './errors.js';
export { checkLoopbackRule, isLoopbackAddress, loopbackHosts } from './loopback.js';
export {
  allowedHosts,
  allowedOrigins,
  checkSite,
  checkToken,
  decide,
  RefusalCode,
  type GuardPolicy,
  type GuardRequest,
  type Refusal,
} from './request-guard.js';
