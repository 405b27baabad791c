import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { GuardError, GuardErrorCode, MIN_TOKEN_LENGTH } from './errors.js';

/** A fresh bearer token: 24 random bytes, base64url (32 characters). */
export function newToken(): string {
  return randomBytes(24).toString('base64url');
}

/** The token of an `Authorization: Bearer …` header value; undefined without one. */
export function bearerToken(authorization: string | undefined): string | undefined {
  return /^Bearer (.+)$/i.exec(authorization ?? '')?.[1];
}

/** Whether `given` is `expected`, compared in constant time (of their hashes: the lengths leak nothing either). */
export function sameToken(given: string, expected: string): boolean {
  return timingSafeEqual(createHash('sha256').update(given).digest(), createHash('sha256').update(expected).digest());
}

/**
 * Throws a `TOKEN_TOO_SHORT` {@link GuardError} when `token` is shorter than {@link MIN_TOKEN_LENGTH}.
 * `what` names the listener in the message ("The gateway token"); the token itself never is (it may be logged).
 */
export function checkTokenLength(token: string, what: string): void {
  if (token.length < MIN_TOKEN_LENGTH)
    throw new GuardError(GuardErrorCode.TOKEN_TOO_SHORT, `${what} must be at least ${MIN_TOKEN_LENGTH} characters`);
}
