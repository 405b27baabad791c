import { describe, expect, it } from 'vitest';
import { AuthorizationCodeProvider, authProviderFor, type HttpAuthConfig } from '../src/auth-providers.js';
import { parseServerConfig } from '../src/config.js';
import { redactConfig } from '../src/config-redaction.js';
import { ErrorCode } from '../src/errors.js';

const base = { name: 'api', transport: 'streamable_http' as const, url: 'https://api.test/mcp' };

describe('HTTP auth config', () => {
  it('accepts each auth type', () => {
    const kinds: HttpAuthConfig[] = [
      { type: 'client_credentials', clientId: 'id', clientSecret: 's' },
      { type: 'private_key_jwt', clientId: 'id', privateKey: '-----BEGIN PRIVATE KEY-----', algorithm: 'ES256' },
      { type: 'authorization_code', redirectUrl: 'http://localhost:3000/cb', onAuthorize: async () => 'code' },
      {
        type: 'cross_app_access',
        idpTokenEndpoint: 'https://idp.test/token',
        idpClientId: 'c',
        idToken: 'jwt',
        clientId: 'id',
        clientSecret: 's',
      },
    ];
    for (const auth of kinds) expect(parseServerConfig({ ...base, auth }).transport).toBe('streamable_http');
  });

  it.each([
    [{ type: 'magic' }, /auth/],
    [{ type: 'client_credentials', clientId: 'id' }, /auth\.clientSecret/],
    [
      { type: 'authorization_code', redirectUrl: 'http://x/cb', onAuthorize: 'nope' },
      /auth\.onAuthorize: expected a function/,
    ],
    [{ type: 'authorization_code', redirectUrl: 'not a url', onAuthorize: async () => 'c' }, /auth\.redirectUrl/],
  ])('rejects %j naming the field', (auth, message) => {
    expect(() => parseServerConfig({ ...base, auth })).toThrow(
      expect.objectContaining({ code: ErrorCode.CONFIG_INVALID, message: expect.stringMatching(message) }),
    );
  });

  it('takes a custom fetch for HTTP servers, and rejects one that is not a function', () => {
    const custom = async () => new Response(null);
    expect(parseServerConfig({ ...base, fetch: custom })).toMatchObject({ fetch: custom });
    expect(() => parseServerConfig({ ...base, fetch: 'undici' })).toThrow(/fetch: expected a function/);
  });

  it('is not accepted on a stdio server', () => {
    expect(() =>
      parseServerConfig({
        name: 's',
        transport: 'stdio',
        command: 'x',
        auth: { type: 'client_credentials', clientId: 'a', clientSecret: 'b' },
      }),
    ).toThrow(/unknown field/);
  });

  it('never shows secrets', () => {
    const shown = JSON.stringify([
      redactConfig(
        parseServerConfig({
          ...base,
          auth: { type: 'client_credentials', clientId: 'id', clientSecret: 'top-secret' },
        }),
      ),
      redactConfig(
        parseServerConfig({
          ...base,
          auth: { type: 'private_key_jwt', clientId: 'id', privateKey: 'PEM-top-secret', algorithm: 'ES256' },
        }),
      ),
      redactConfig(
        parseServerConfig({
          ...base,
          auth: {
            type: 'cross_app_access',
            idpTokenEndpoint: 'https://i/t',
            idpClientId: 'c',
            idToken: 'jwt-top-secret',
            clientId: 'id',
            clientSecret: 'top-secret',
          },
        }),
      ),
    ]);
    expect(shown).not.toMatch(/top-secret/);
    expect(shown).toMatch(/"clientId":"id"/);
  });
});

describe('AuthorizationCodeProvider', () => {
  it('keeps the URL it is sent to, once, and describes a public client without a secret', () => {
    const p = new AuthorizationCodeProvider({
      type: 'authorization_code',
      redirectUrl: 'http://localhost:3000/cb',
      onAuthorize: async () => 'c',
      scope: 'read',
    });
    expect(p.clientMetadata).toMatchObject({
      redirect_uris: ['http://localhost:3000/cb'],
      token_endpoint_auth_method: 'none',
      scope: 'read',
    });
    expect(p.clientInformation()).toBeUndefined();
    p.redirectToAuthorization(new URL('https://as.test/authorize?x=1'));
    expect(p.takeAuthorizationUrl()?.href).toBe('https://as.test/authorize?x=1');
    expect(p.takeAuthorizationUrl()).toBeUndefined();
    p.saveTokens({ access_token: 't', token_type: 'Bearer' });
    p.invalidateCredentials('tokens');
    expect(p.tokens()).toBeUndefined();
  });

  it('hands back discovery only for the callback leg of an outstanding redirect (SEP-2352)', () => {
    const p = new AuthorizationCodeProvider({
      type: 'authorization_code',
      redirectUrl: 'http://localhost:3000/cb',
      onAuthorize: async () => 'c',
    });
    const state = { authorizationServerUrl: 'https://as1.test/' };
    p.saveDiscoveryState(state);
    // A new authorization (a 401 on a rejected token) discovers again: the resource may name a new server.
    expect(p.discoveryState()).toBeUndefined();
    p.redirectToAuthorization(new URL('https://as1.test/authorize'));
    expect(p.discoveryState()).toBe(state);
    p.saveTokens({ access_token: 't', token_type: 'Bearer' });
    expect(p.discoveryState()).toBeUndefined();
    // A redirect that is never redeemed is settled by the session (http-session.ts) all the same.
    p.redirectToAuthorization(new URL('https://as1.test/authorize'));
    p.invalidateCredentials('discovery');
    expect(p.discoveryState()).toBeUndefined();
  });

  it('one provider per auth config, so tokens survive reconnects', () => {
    const auth: HttpAuthConfig = { type: 'client_credentials', clientId: 'id', clientSecret: 's' };
    expect(authProviderFor(auth)).toBe(authProviderFor(auth));
    expect(authProviderFor(auth)).not.toBe(authProviderFor({ ...auth }));
  });
});
