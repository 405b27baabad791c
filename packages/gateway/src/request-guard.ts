import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GuardRequest, Refusal } from '@universal-mcp/http-guard';
import { refuse } from './http-refusal.js';

/** What the guard reads of a node request (the decision itself is `@universal-mcp/http-guard`'s). */
export function guardRequest(req: IncomingMessage): GuardRequest {
  return {
    host: req.headers.host,
    origin: req.headers.origin,
    authorization: req.headers.authorization,
    remoteAddress: req.socket.remoteAddress,
  };
}

/** Answers `refusal` as a JSON-RPC error (a 401 says `Bearer`); true when there was one. */
export function refused(res: ServerResponse, refusal: Refusal | undefined): boolean {
  if (refusal === undefined) return false;
  refuse(res, refusal.status, refusal.message, refusal.status === 401 ? { 'www-authenticate': 'Bearer' } : {});
  return true;
}
