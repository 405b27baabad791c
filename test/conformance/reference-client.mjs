// The reference conformance client: the bare SDK v2 client (@modelcontextprotocol/client 2.4.0), no
// Universal MCP code. `node reference-client.mjs <server-url>`, with MCP_CONFORMANCE_SCENARIO,
// MCP_CONFORMANCE_PROTOCOL_VERSION and (for some scenarios) MCP_CONFORMANCE_CONTEXT set by
// @modelcontextprotocol/conformance. run.mjs --reference runs it to learn how many checks a passing
// client gets per scenario (a client that does nothing still scores on some); it also documents what
// a passing client does in each scenario, which client.ts mirrors through UniversalMcpClient.
import {
  auth,
  Client,
  ClientCredentialsProvider,
  computeScopeUnion,
  CrossAppAccessProvider,
  extractWWWAuthenticateParams,
  PrivateKeyJwtProvider,
  requestJwtAuthorizationGrant,
  StreamableHTTPClientTransport,
  UnauthorizedError,
} from '@modelcontextprotocol/client';

const url = process.argv[2];
const scenario = process.env.MCP_CONFORMANCE_SCENARIO ?? '';
const version = process.env.MCP_CONFORMANCE_PROTOCOL_VERSION ?? '2025-11-25';
const context = JSON.parse(process.env.MCP_CONFORMANCE_CONTEXT ?? '{}');
const debug = process.env.CONFORMANCE_DEBUG === '1';
const log = (...parts) => {
  if (debug) process.stderr.write(`${parts.map((p) => (typeof p === 'string' ? p : JSON.stringify(p))).join(' ')}\n`);
};
if (url === undefined) {
  process.stderr.write('usage: reference-client <server-url>\n');
  process.exit(2);
}

const REDIRECT = 'http://localhost:3000/callback';
// A client ID metadata document URL (CIMD): preferred over dynamic registration where the
// authorization server advertises support for it.
const CIMD = 'https://conformance-test.local/client-metadata.json';

/**
 * An in-memory OAuth client provider that authorizes headlessly: it follows the authorization URL
 * without a browser and keeps the redirect's query (code, and `iss` for RFC 9207).
 * Credentials are kept per authorization server (the SDK passes the issuer in `ctx`), so moving to a
 * new authorization server registers again instead of replaying the old client_id.
 */
class HeadlessProvider {
  #clients = new Map();
  #tokens = new Map();
  #verifier;
  /** The last redirect's query string parameters. */
  callback;
  constructor(preRegistered) {
    this.preRegistered = preRegistered;
  }
  get redirectUrl() {
    return REDIRECT;
  }
  get clientMetadataUrl() {
    return this.preRegistered === undefined ? CIMD : undefined;
  }
  get clientMetadata() {
    return {
      client_name: 'reference-conformance-client',
      redirect_uris: [REDIRECT],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      application_type: 'native',
    };
  }
  #key(ctx) {
    return ctx?.issuer ?? ctx?.authorizationServerUrl?.toString() ?? '';
  }
  clientInformation(ctx) {
    return this.#clients.get(this.#key(ctx)) ?? this.preRegistered;
  }
  saveClientInformation(info, ctx) {
    this.#clients.set(this.#key(ctx), info);
  }
  tokens(ctx) {
    return this.#tokens.get(this.#key(ctx)) ?? this.#tokens.get('last');
  }
  saveTokens(tokens, ctx) {
    this.#tokens.set(this.#key(ctx), tokens);
    this.#tokens.set('last', tokens);
  }
  async redirectToAuthorization(authorizationUrl) {
    log('authorize', authorizationUrl.toString());
    const res = await fetch(authorizationUrl, { redirect: 'manual' });
    await res.body?.cancel();
    const location = res.headers.get('location');
    if (location === null) throw new Error(`authorization endpoint answered ${res.status} without a redirect`);
    this.callback = new URL(location, authorizationUrl).searchParams;
  }
  saveCodeVerifier(verifier) {
    this.#verifier = verifier;
  }
  codeVerifier() {
    if (this.#verifier === undefined) throw new Error('no code verifier saved');
    return this.#verifier;
  }
}

/** A fetch that answers 401 and 403 (insufficient scope) by running the OAuth flow once, then retries. */
function oauthFetch(provider) {
  let requested;
  const authorize = async (response) => {
    const challenge = extractWWWAuthenticateParams(response);
    const { resourceMetadataUrl } = challenge;
    // Step-up keeps what was granted before: ask for the union of old and challenged scopes (SEP-2350).
    const scope = challenge.scope === undefined ? undefined : computeScopeUnion(requested, challenge.scope);
    requested = scope ?? requested;
    let result = await auth(provider, { serverUrl: url, resourceMetadataUrl, scope, fetchFn: fetch });
    if (result === 'REDIRECT') {
      const code = provider.callback?.get('code') ?? undefined;
      if (code === undefined) throw new UnauthorizedError('authorization redirect carried no code');
      const iss = provider.callback?.get('iss') ?? undefined;
      result = await auth(provider, {
        serverUrl: url,
        resourceMetadataUrl,
        scope,
        authorizationCode: code,
        ...(iss === undefined ? {} : { iss }),
        fetchFn: fetch,
      });
    }
    if (result !== 'AUTHORIZED') throw new UnauthorizedError(`authorization ended with ${result}`);
  };
  return async (input, init) => {
    const send = async () => {
      const headers = new Headers(init?.headers);
      const tokens = await provider.tokens();
      if (tokens !== undefined) headers.set('Authorization', `Bearer ${tokens.access_token}`);
      return fetch(input, { ...init, headers });
    };
    let response = await send();
    if (response.status === 401 || response.status === 403) {
      await authorize(response);
      response = await send();
    }
    if (response.status === 401 || response.status === 403) throw new UnauthorizedError(`still ${response.status}`);
    return response;
  };
}

/** Transport options for the scenario: a credential provider, an OAuth fetch, or nothing. */
function transportOptions() {
  if (scenario === 'auth/client-credentials-basic') {
    return {
      authProvider: new ClientCredentialsProvider({ clientId: context.client_id, clientSecret: context.client_secret }),
    };
  }
  if (scenario === 'auth/client-credentials-jwt') {
    return {
      authProvider: new PrivateKeyJwtProvider({
        clientId: context.client_id,
        privateKey: context.private_key_pem,
        algorithm: context.signing_algorithm ?? 'ES256',
      }),
    };
  }
  if (scenario === 'auth/cross-app-access-complete-flow' || scenario === 'auth/enterprise-managed-authorization') {
    return {
      authProvider: new CrossAppAccessProvider({
        // The enterprise IdP exchanges its ID token for a JWT authorization grant (RFC 8693).
        assertion: async (ctx) =>
          (
            await requestJwtAuthorizationGrant({
              tokenEndpoint: context.idp_token_endpoint,
              audience: ctx.authorizationServerUrl,
              resource: ctx.resourceUrl,
              idToken: context.idp_id_token,
              clientId: context.idp_client_id,
              ...(ctx.scope === undefined ? {} : { scope: ctx.scope }),
              fetchFn: ctx.fetchFn,
            })
          ).jwtAuthGrant,
        clientId: context.client_id,
        clientSecret: context.client_secret,
      }),
    };
  }
  if (!scenario.startsWith('auth/')) return {};
  const preRegistered =
    scenario === 'auth/pre-registration'
      ? { client_id: context.client_id, client_secret: context.client_secret, redirect_uris: [REDIRECT] }
      : undefined;
  return { fetch: oauthFetch(new HeadlessProvider(preRegistered)) };
}

const client = new Client(
  { name: 'reference-conformance-client', version: '1.0.0' },
  {
    capabilities: { elicitation: { form: { applyDefaults: true } }, sampling: {}, roots: {} },
    // 2026-07-28 runs negotiate with server/discover; 2025-11-25 runs stay on initialize.
    versionNegotiation: { mode: version === '2025-11-25' ? 'legacy' : 'auto' },
  },
);
let unrelatedCalled = false;
client.setRequestHandler('elicitation/create', async () => {
  // sep-2322's parallel-isolation check: a call made while an MRTR round is open must carry
  // neither the other call's inputResponses nor its requestState.
  if (scenario === 'sep-2322-client-request-state' && !unrelatedCalled) {
    unrelatedCalled = true;
    await client.callTool({ name: 'test_mrtr_unrelated', arguments: {} });
  }
  return { action: 'accept', content: scenario.startsWith('sep-2322') ? { confirmed: true } : {} };
});
client.setRequestHandler('sampling/createMessage', async () => ({
  role: 'assistant',
  content: { type: 'text', text: 'sampled' },
  model: 'reference',
  stopReason: 'endTurn',
}));
client.setRequestHandler('roots/list', async () => ({ roots: [] }));

const transport = new StreamableHTTPClientTransport(new URL(url), transportOptions());

/** Calls every listed tool with no arguments, then reads every resource and gets every prompt. */
async function exerciseEverything(capabilities) {
  const { tools } = await client.listTools();
  for (const tool of tools) await client.callTool({ name: tool.name, arguments: {} });
  if (capabilities?.resources !== undefined) {
    const { resources } = await client.listResources();
    for (const r of resources) await client.readResource({ uri: r.uri });
  }
  if (capabilities?.prompts !== undefined) {
    const { prompts } = await client.listPrompts();
    for (const p of prompts) await client.getPrompt({ name: p.name, arguments: {} });
  }
}

let exitCode = 0;
try {
  await client.connect(transport);
  log('connected', client.getServerVersion());
  const tools = new Set((await client.listTools()).tools.map((t) => t.name));
  log('tools', [...tools]);
  if (scenario === 'tools_call') {
    if (tools.has('add_numbers')) await client.callTool({ name: 'add_numbers', arguments: { a: 5, b: 3 } });
  } else if (scenario.startsWith('elicitation')) {
    await client.callTool({ name: 'test_client_elicitation_defaults', arguments: {} });
  } else if (scenario === 'sse-retry') {
    await client.callTool({ name: 'test_reconnection', arguments: {} });
  } else if (scenario === 'sep-2322-client-request-state') {
    for (const name of ['test_mrtr_echo_state', 'test_mrtr_no_state', 'test_mrtr_no_result_type']) {
      if (tools.has(name)) await client.callTool({ name, arguments: {} });
    }
  } else if (scenario === 'http-standard-headers' || scenario === 'http-invalid-tool-headers') {
    // The SDK leaves tools with an invalid x-mcp-header out of listTools(): calling all it lists is safe.
    await exerciseEverything(client.getServerCapabilities());
  } else if (scenario === 'http-custom-headers') {
    for (const call of context.toolCalls ?? []) await client.callTool({ name: call.name, arguments: call.arguments });
  } else if (scenario.startsWith('auth/') && tools.has('test-tool')) {
    await client.callTool({ name: 'test-tool', arguments: {} });
  }
} catch (err) {
  process.stderr.write(`reference client: ${err instanceof Error ? `${err.name} ${err.message}` : String(err)}\n`);
  exitCode = 1;
} finally {
  // The verdict is already decided; a close that fails only gets a line on stderr.
  await transport.close().catch((err) => process.stderr.write(`reference client: close: ${String(err)}\n`));
}
process.exit(exitCode);
