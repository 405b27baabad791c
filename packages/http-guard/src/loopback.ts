import { isIPv4 } from 'node:net';
import { GuardError, GuardErrorCode } from './errors.js';

/**
 * Whether an address a socket is bound to, or a peer's address, is loopback: 127.0.0.0/8, `::1`, or
 * 127.x mapped into IPv6 (`::ffff:127.0.0.1`). Decided from the address, never from a name: a name
 * may resolve anywhere, and `0.0.0.0` or `::` is every interface.
 */
export function isLoopbackAddress(address: string): boolean {
  const v4 = address.toLowerCase().startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
  if (isIPv4(v4)) return v4.startsWith('127.');
  return address === '::1';
}

/** The `Host` values a loopback client sends to `port`: `127.0.0.1:port`, `localhost:port`, `[::1]:port`. */
export function loopbackHosts(port: number): string[] {
  return [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`];
}

/**
 * The loopback rule, checked once the listener is bound: beyond loopback a token is required, and
 * it must be one the operator gave (a generated one changes on every start, and its clients would
 * have to be told it again). `token`: the option as given — a string, `false` for none, or
 * undefined for a generated one. `where` names the listener's address in the message.
 * Throws a {@link GuardError} (`TOKEN_REQUIRED`, `TOKEN_NOT_GIVEN`).
 */
export function checkLoopbackRule(token: string | false | undefined, boundAddress: string, where: string): void {
  if (typeof token === 'string' || isLoopbackAddress(boundAddress)) return;
  if (token === false)
    throw new GuardError(
      GuardErrorCode.TOKEN_REQUIRED,
      `Refusing to listen on ${where} without a token: give one, or listen on 127.0.0.1`,
    );
  throw new GuardError(
    GuardErrorCode.TOKEN_NOT_GIVEN,
    `Refusing to listen on ${where} with a generated token: give the token the clients will use`,
  );
}
