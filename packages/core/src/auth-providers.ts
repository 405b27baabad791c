import {
  ClientCredentialsProvider,
  type FetchLike,
  PrivateKeyJwtProvider,
  type OAuthClientInformationMixed,
  type OAuthClientMetadata,
  type OAuthClientProvider,
  type OAuthDiscoveryState,
  type OAuthTokens,
} from '@modelcontextprotocol/client';

/** Authorization for an HTTP server, beside (or instead of) static headers. */
export type HttpAuthConfig =
  /** Your own `OAuthClientProvider`, passed to the SDK as it is. */
  | { readonly type: 'oauth'; readonly provider: OAuthClientProvider }
  /** OAuth client credentials with a client secret (`client_secret_basic`/`_post`, as the server advertises). */
  | {
      readonly type: 'client_credentials';
      readonly clientId: string;
      readonly clientSecret: string;
      readonly scope?: string | undefined;
      /**
       * The authorization server's issuer URL: the credentials are sent only there. Without it the
       * MCP server's metadata decides which authorization server receives them.
       */
      readonly expectedIssuer?: string | undefined;
    }
  /** OAuth client credentials with a signed JWT assertion (`private_key_jwt`). */
  | {
      readonly type: 'private_key_jwt';
      readonly clientId: string;
      /** PEM string or JWK. */
      readonly privateKey: string | Record<string, unknown>;
      /** e.g. `ES256`, `RS256`. */
      readonly algorithm: string;
      readonly scope?: string | undefined;
      /** The authorization server's issuer URL: the assertion is sent only there. */
      readonly expectedIssuer?: string | undefined;
    }
  /** OAuth authorization code with PKCE, for a user (a CLI opens a browser) or a headless service. */
  | AuthorizationCodeConfig
  /**
   * Enterprise-managed authorization (SEP-990, cross-app access): an IdP ID token exchanged for an ID-JAG, then a
   * JWT-bearer grant.
   */
  | CrossAppAccessConfig;

/** Cross-app access (SEP-990): the enterprise IdP vouches for the user; no browser is involved. */
export interface CrossAppAccessConfig {
  readonly type: 'cross_app_access';
  /** The IdP's token endpoint, where the ID token is exchanged (RFC 8693) for an ID-JAG. */
  readonly idpTokenEndpoint: string;
  /** The client id this client has at the IdP. */
  readonly idpClientId: string;
  /** The user's ID token from the IdP, or a function that fetches a fresh one. */
  readonly idToken: string | (() => Promise<string>);
  /** This client's credentials at the MCP server's authorization server (client_secret_basic). */
  readonly clientId: string;
  readonly clientSecret: string;
  readonly scope?: string | undefined;
}

/** The authorization-code flow's settings. */
export interface AuthorizationCodeConfig {
  readonly type: 'authorization_code';
  /** Where the authorization server sends the user back. */
  readonly redirectUrl: string;
  /**
   * Sends the user (or a headless agent) to `authorizationUrl` and resolves with what the redirect
   * carried back: its query parameters (`new URL(callbackUrl).searchParams`), so that the `iss` the
   * authorization server adds is checked against the one discovered (RFC 9207) before the code is
   * redeemed; or the `code` alone, which an authorization server that announces `iss` refuses.
   * Called again on step-up (403 insufficient_scope).
   */
  readonly onAuthorize: (authorizationUrl: URL) => Promise<string | URLSearchParams>;
  /** A pre-registered client; without one the client registers dynamically (or by metadata URL). */
  readonly clientId?: string | undefined;
  readonly clientSecret?: string | undefined;
  /** A Client ID Metadata Document URL, used where the server supports it. */
  readonly clientMetadataUrl?: string | undefined;
  readonly clientName?: string | undefined;
  readonly scope?: string | undefined;
  /** How many times one connection or request may go through authorization. @default 3 */
  readonly maxAttempts?: number | undefined;
}

/**
 * An in-memory `OAuthClientProvider` for the authorization-code flow; it keeps the URL it was sent to.
 *
 * Credentials are bound to the authorization server that issued them (SEP-2352): the SDK stamps the
 * registration and the tokens with their issuer and treats a mismatched stamp as absent. Discovery is
 * kept only while a redirect is outstanding, so every new authorization follows the protected resource's
 * metadata as it is now: when it names a new authorization server, the client registers there afresh.
 */
export class AuthorizationCodeProvider implements OAuthClientProvider {
  readonly #config: AuthorizationCodeConfig;
  #client: OAuthClientInformationMixed | undefined;
  #tokens: OAuthTokens | undefined;
  #verifier = '';
  #discovery: OAuthDiscoveryState | undefined;
  /** A redirect is outstanding: its callback must be redeemed at the authorization server it went to. */
  #awaitingCallback = false;
  #pendingUrl: URL | undefined;
  // Optional, not `string | undefined`: the SDK's interface declares `clientMetadataUrl?: string`, and a consumer
  // compiling with `exactOptionalPropertyTypes` checks this class against it.
  readonly clientMetadataUrl?: string;

  constructor(config: AuthorizationCodeConfig) {
    this.#config = config;
    if (config.clientMetadataUrl !== undefined) this.clientMetadataUrl = config.clientMetadataUrl;
    if (config.clientId !== undefined) {
      this.#client = {
        client_id: config.clientId,
        ...(config.clientSecret === undefined ? {} : { client_secret: config.clientSecret }),
      };
    }
  }

  get redirectUrl(): string {
    return this.#config.redirectUrl;
  }

  get clientMetadata(): OAuthClientMetadata {
    return {
      client_name: this.#config.clientName ?? 'universal-mcp',
      redirect_uris: [this.#config.redirectUrl],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: this.#config.clientSecret === undefined ? 'none' : 'client_secret_basic',
      ...(this.#config.scope === undefined ? {} : { scope: this.#config.scope }),
    };
  }

  clientInformation(): OAuthClientInformationMixed | undefined {
    return this.#client;
  }

  saveClientInformation(info: OAuthClientInformationMixed): void {
    this.#client = info;
  }

  tokens(): OAuthTokens | undefined {
    return this.#tokens;
  }

  saveTokens(tokens: OAuthTokens): void {
    this.#tokens = tokens;
    this.#awaitingCallback = false;
  }

  redirectToAuthorization(url: URL): void {
    this.#pendingUrl = url;
    this.#awaitingCallback = true;
  }

  saveCodeVerifier(verifier: string): void {
    this.#verifier = verifier;
  }

  codeVerifier(): string {
    return this.#verifier;
  }

  /** Kept with the verifier: the SDK checks the callback against the authorization server it sent the user to. */
  saveDiscoveryState(state: OAuthDiscoveryState): void {
    this.#discovery = state;
  }

  /**
   * The discovery of the outstanding redirect, for its callback leg; otherwise none. The SDK runs a new
   * authorization on a 401 or a 403 (a rejected or short token), and a cached discovery would send it back to
   * the old authorization server after the protected resource named a new one (SEP-2352).
   */
  discoveryState(): OAuthDiscoveryState | undefined {
    return this.#awaitingCallback ? this.#discovery : undefined;
  }

  invalidateCredentials(scope: 'all' | 'client' | 'tokens' | 'verifier' | 'discovery'): void {
    if (scope === 'all' || scope === 'tokens') this.#tokens = undefined;
    if ((scope === 'all' || scope === 'client') && this.#config.clientId === undefined) this.#client = undefined;
    if (scope === 'all' || scope === 'verifier') this.#verifier = '';
    if (scope === 'all' || scope === 'discovery') {
      this.#discovery = undefined;
      this.#awaitingCallback = false;
    }
  }

  /** The authorization URL the SDK asked to send the user to, once; undefined if none is pending. */
  takeAuthorizationUrl(): URL | undefined {
    const url = this.#pendingUrl;
    this.#pendingUrl = undefined;
    return url;
  }
}

const TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

/**
 * Cross-app access (SEP-990) as an `OAuthClientProvider`: the SDK's discovery hands it the
 * authorization server's issuer and the protected resource (`saveDiscoveryState`); the token
 * request first exchanges the IdP ID token for an ID-JAG at the IdP (RFC 8693), then presents it
 * as a JWT-bearer grant (RFC 7523), authenticated with the client's secret.
 */
export class CrossAppAccessProvider implements OAuthClientProvider {
  readonly #config: CrossAppAccessConfig;
  readonly #fetch: FetchLike;
  #tokens: OAuthTokens | undefined;
  #issuer: string | undefined;
  #resource: string | undefined;

  /** `fetchFn` makes the IdP request (the client's `outboundHosts` check it). @default globalThis.fetch */
  constructor(config: CrossAppAccessConfig, fetchFn: FetchLike = fetch) {
    this.#config = config;
    this.#fetch = fetchFn;
  }

  get redirectUrl(): undefined {
    return undefined;
  }

  get clientMetadata(): OAuthClientMetadata {
    return {
      client_name: 'universal-mcp',
      redirect_uris: [],
      grant_types: [JWT_BEARER],
      token_endpoint_auth_method: 'client_secret_basic',
      ...(this.#config.scope === undefined ? {} : { scope: this.#config.scope }),
    };
  }

  clientInformation(): OAuthClientInformationMixed {
    return { client_id: this.#config.clientId, client_secret: this.#config.clientSecret };
  }

  tokens(): OAuthTokens | undefined {
    return this.#tokens;
  }

  saveTokens(tokens: OAuthTokens): void {
    this.#tokens = tokens;
  }

  saveDiscoveryState(state: OAuthDiscoveryState): void {
    this.#issuer = state.authorizationServerMetadata?.issuer ?? state.authorizationServerUrl;
    this.#resource = state.resourceMetadata?.resource;
  }

  redirectToAuthorization(): never {
    throw new Error('cross-app access needs no user redirect; the authorization server asked for one');
  }

  saveCodeVerifier(): void {
    // No redirect, so no PKCE verifier to keep.
  }

  codeVerifier(): string {
    return '';
  }

  invalidateCredentials(scope: 'all' | 'client' | 'tokens' | 'verifier' | 'discovery'): void {
    if (scope === 'all' || scope === 'tokens') this.#tokens = undefined;
  }

  async prepareTokenRequest(scope?: string): Promise<URLSearchParams> {
    if (this.#issuer === undefined || this.#resource === undefined)
      throw new Error('cross-app access: authorization server or resource not discovered');
    const idToken = typeof this.#config.idToken === 'function' ? await this.#config.idToken() : this.#config.idToken;
    const res = await this.#fetch(this.#config.idpTokenEndpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({
        grant_type: TOKEN_EXCHANGE,
        requested_token_type: 'urn:ietf:params:oauth:token-type:id-jag',
        audience: this.#issuer,
        resource: this.#resource,
        subject_token: idToken,
        subject_token_type: 'urn:ietf:params:oauth:token-type:id_token',
        client_id: this.#config.idpClientId,
        ...(scope === undefined ? {} : { scope }),
      }),
    });
    const body = (await res.json().catch(() => ({}))) as {
      access_token?: unknown;
      error?: unknown;
      error_description?: unknown;
    };
    if (!res.ok || typeof body.access_token !== 'string') {
      const why = String(body.error_description ?? body.error ?? 'no ID-JAG');
      throw new Error(`cross-app access: IdP token exchange failed (${res.status}): ${why}`);
    }
    return new URLSearchParams({
      grant_type: JWT_BEARER,
      assertion: body.access_token,
      ...(scope === undefined ? {} : { scope }),
    });
  }
}

const providers = new WeakMap<HttpAuthConfig, OAuthClientProvider>();

/**
 * Runs `make` with `console.warn` pointed at `warn`: the SDK's providers warn through the console
 * when they are built (a deprecation), which would bypass the application's logger.
 */
function withWarningsTo<T>(warn: ((message: string) => void) | undefined, make: () => T): T {
  const original = console.warn;
  console.warn = (...args: unknown[]) => warn?.(args.map(String).join(' '));
  try {
    return make();
  } finally {
    console.warn = original;
  }
}

/**
 * The provider for a server's auth config: one per config, so tokens outlive restarts. Warnings
 * the SDK prints while building it go to `warn` (the server's logger), not the console; `idpFetch`
 * makes a cross-app access provider's IdP request.
 */
export function authProviderFor(
  auth: HttpAuthConfig,
  warn?: (message: string) => void,
  idpFetch?: FetchLike,
): OAuthClientProvider {
  const known = providers.get(auth);
  if (known !== undefined) return known;
  let provider: OAuthClientProvider;
  switch (auth.type) {
    case 'oauth':
      provider = auth.provider;
      break;
    case 'client_credentials': {
      const { clientId, clientSecret, scope, expectedIssuer } = auth;
      provider = withWarningsTo(
        warn,
        () => new ClientCredentialsProvider({ clientId, clientSecret, scope, expectedIssuer }),
      );
      break;
    }
    case 'private_key_jwt': {
      const { clientId, privateKey, algorithm, scope, expectedIssuer } = auth;
      provider = withWarningsTo(
        warn,
        () => new PrivateKeyJwtProvider({ clientId, privateKey, algorithm, scope, expectedIssuer }),
      );
      break;
    }
    case 'authorization_code':
      provider = new AuthorizationCodeProvider(auth);
      break;
    case 'cross_app_access':
      provider = new CrossAppAccessProvider(auth, idpFetch);
      break;
  }
  providers.set(auth, provider);
  return provider;
}
