import { isIPv4 } from 'node:net';

/**
 * Whether an address a socket is bound to is loopback: 127.0.0.0/8, `::1`, or 127.x mapped into
 * IPv6 (`::ffff:127.0.0.1`). Decided from the address bound, never from the name asked for: a
 * name may resolve anywhere, and `0.0.0.0` or `::` is every interface.
 */
export function isLoopbackAddress(address: string): boolean {
  const v4 = address.toLowerCase().startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
  if (isIPv4(v4)) return v4.startsWith('127.');
  return address === '::1';
}
