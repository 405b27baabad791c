import type { ServerContext } from '@modelcontextprotocol/server';
import { describe, expect, it } from 'vitest';
import { principalOf } from '../src/task-relay.js';

// Whose tasks a request reaches: a pure mapping (the gateway itself sets no authInfo; a host embedding it does).

/** A request context carrying only what principalOf reads. */
const withAuth = (authInfo: { clientId: string; extra?: Record<string, unknown> } | undefined): ServerContext =>
  ({ http: authInfo === undefined ? undefined : { authInfo: { token: 't', scopes: [], ...authInfo } } }) as never;

describe('principalOf', () => {
  it('keeps OAuth subjects and client ids apart: a client id equal to a subject is another principal', () => {
    const user = principalOf(withAuth({ clientId: 'app', extra: { sub: 'alice' } }), 'endpoint:');
    const client = principalOf(withAuth({ clientId: 'alice' }), 'endpoint:');
    expect(user).not.toBe(client);
    // The same subject through another OAuth client is the same principal (tasks belong to the user).
    expect(principalOf(withAuth({ clientId: 'other', extra: { sub: 'alice' } }), 'endpoint:')).toBe(user);
  });

  it('without OAuth the fallback (session, connection or endpoint) is the principal', () => {
    expect(principalOf(withAuth(undefined), 'session:x')).toBe('session:x');
  });
});
