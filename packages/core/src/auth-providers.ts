import type { OAuthClientProvider } from '@modelcontextprotocol/sdk/client/auth.js';
import { ClientCredentialsProvider, PrivateKeyJwtProvider } from '@modelcontextprotocol/sdk/client/auth-extensions.js';
import type { OAuthClientInformationMixed, OAuthClientMetadata, OAuthTokens } from '@modelcontextprotocol/sdk/shared/auth.js';

/** Authorization for an HTTP server, beside (or instead of) static headers. */
export type HttpAuthConfig =
  /** Your own `OAuthClientProvider`, passed to the SDK as it is. */
  | { readonly type: 'oauth'; readonly provider: OAuthClientProvider }
  /** OAuth client credentials with a client secret (`client_secret_basic`/`_post`, as the server advertises). */
  | { readonly type: 'client_credentials'; readonly clientId: string; readonly clientSecret: string; readonly scope?: string | undefined }
  /** OAuth client credentials with a signed JWT assertion (`private_key_jwt`). */
  | {
      readonly type: 'private_key_jwt';
      readonly clientId: string;
      /** PEM string or JWK. */
      readonly privateKey: string | Record<string, unknown>;
      /** e.g. `ES256`, `RS256`. */
      readonly algorithm: string;
      readonly scope?: string | undefined;
    }
  /** OAuth authorization code with PKCE, for a user (a CLI opens a browser) or a headless service. */
  | AuthorizationCodeConfig;

/** The authorization-code flow's settings. */
export interface AuthorizationCodeConfig {
  readonly type: 'authorization_code';
  /** Where the authorization server sends the user back. */
  readonly redirectUrl: string;
  /**
   * Sends the user (or a headless agent) to `authorizationUrl` and resolves with the `code` the
   * redirect carried back. Called again on step-up (403 insufficient_scope).
   */
  readonly onAuthorize: (authorizationUrl: URL) => Promise<string>;
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

/** An in-memory `OAuthClientProvider` for the authorization-code flow; it keeps the URL it was sent to. */
export class AuthorizationCodeProvider implements OAuthClientProvider {
  readonly #config: AuthorizationCodeConfig;
  #client: OAuthClientInformationMixed | undefined;
  #tokens: OAuthTokens | undefined;
  #verifier = '';
  #pendingUrl: URL | undefined;
  readonly clientMetadataUrl: string | undefined;

  constructor(config: AuthorizationCodeConfig) {
    this.#config = config;
    this.clientMetadataUrl = config.clientMetadataUrl;
    if (config.clientId !== undefined) {
      this.#client = { client_id: config.clientId, ...(config.clientSecret === undefined ? {} : { client_secret: config.clientSecret }) };
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
  }

  redirectToAuthorization(url: URL): void {
    this.#pendingUrl = url;
  }

  saveCodeVerifier(verifier: string): void {
    this.#verifier = verifier;
  }

  codeVerifier(): string {
    return this.#verifier;
  }

  invalidateCredentials(scope: 'all' | 'client' | 'tokens' | 'verifier' | 'discovery'): void {
    if (scope === 'all' || scope === 'tokens') this.#tokens = undefined;
    if ((scope === 'all' || scope === 'client') && this.#config.clientId === undefined) this.#client = undefined;
    if (scope === 'all' || scope === 'verifier') this.#verifier = '';
  }

  /** The authorization URL the SDK asked to send the user to, once; undefined if none is pending. */
  takeAuthorizationUrl(): URL | undefined {
    const url = this.#pendingUrl;
    this.#pendingUrl = undefined;
    return url;
  }
}

const providers = new WeakMap<HttpAuthConfig, OAuthClientProvider>();

/** The provider for a server's auth config: one per config, so tokens outlive reconnects. */
export function authProviderFor(auth: HttpAuthConfig): OAuthClientProvider {
  const known = providers.get(auth);
  if (known !== undefined) return known;
  let provider: OAuthClientProvider;
  switch (auth.type) {
    case 'oauth':
      provider = auth.provider;
      break;
    case 'client_credentials':
      provider = new ClientCredentialsProvider({ clientId: auth.clientId, clientSecret: auth.clientSecret, scope: auth.scope });
      break;
    case 'private_key_jwt':
      provider = new PrivateKeyJwtProvider({ clientId: auth.clientId, privateKey: auth.privateKey, algorithm: auth.algorithm, scope: auth.scope });
      break;
    case 'authorization_code':
      provider = new AuthorizationCodeProvider(auth);
      break;
  }
  providers.set(auth, provider);
  return provider;
}
