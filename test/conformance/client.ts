// The conformance client: `node dist/client.js <server-url>`, with MCP_CONFORMANCE_SCENARIO (and
// MCP_CONFORMANCE_CONTEXT for credential scenarios) set by @modelcontextprotocol/conformance.
// Built on UniversalMcpClient, not on the bare SDK: what passes here is what users get.
import { pino } from 'pino';
import { UniversalMcpClient, type HttpAuthConfig, type ServerConfig } from '@universal-mcp/supervisor';

const url = process.argv[2];
const scenario = process.env.MCP_CONFORMANCE_SCENARIO ?? '';
if (url === undefined) {
  process.stderr.write('usage: conformance-client <server-url>\n');
  process.exit(2);
}
const context = JSON.parse(process.env.MCP_CONFORMANCE_CONTEXT ?? '{}') as Record<string, string | undefined>;
const debug = process.env.CONFORMANCE_DEBUG === '1';
const logger = pino({ level: debug ? 'debug' : 'warn' }, pino.destination(2));
const log = (...parts: unknown[]): void => {
  if (debug) process.stderr.write(`${parts.map((p) => (typeof p === 'string' ? p : JSON.stringify(p))).join(' ')}\n`);
};

/**
 * A headless redirect handler: follow the authorization URL without a browser and hand back the redirect's query
 * (its `code`, and the `iss` the SDK checks).
 */
async function headlessAuthorize(authorizationUrl: URL): Promise<URLSearchParams> {
  log('authorize', authorizationUrl.toString());
  const res = await fetch(authorizationUrl, { redirect: 'manual' });
  const location = res.headers.get('location');
  await res.body?.cancel();
  if (location === null) throw new Error(`authorization endpoint answered ${res.status} without a redirect`);
  const query = new URL(location, authorizationUrl).searchParams;
  if (query.get('code') === null) throw new Error(`redirect carried no code: ${location}`);
  return query;
}

function authFor(name: string): HttpAuthConfig | undefined {
  if (!name.startsWith('auth/')) return undefined;
  if (name === 'auth/client-credentials-basic') {
    return { type: 'client_credentials', clientId: context.client_id!, clientSecret: context.client_secret! };
  }
  if (name === 'auth/cross-app-access-complete-flow') {
    return {
      type: 'cross_app_access',
      idpTokenEndpoint: context.idp_token_endpoint!,
      idpClientId: context.idp_client_id!,
      idToken: context.idp_id_token!,
      clientId: context.client_id!,
      clientSecret: context.client_secret!,
    };
  }
  if (name === 'auth/client-credentials-jwt') {
    return {
      type: 'private_key_jwt',
      clientId: context.client_id!,
      privateKey: context.private_key_pem!,
      algorithm: context.signing_algorithm ?? 'ES256',
    };
  }
  return {
    type: 'authorization_code',
    redirectUrl: 'http://localhost:3000/callback',
    onAuthorize: headlessAuthorize,
    clientName: 'universal-mcp-conformance',
    clientMetadataUrl: 'https://conformance-test.local/client-metadata.json',
    ...(name === 'auth/pre-registration' ? { clientId: context.client_id, clientSecret: context.client_secret } : {}),
  };
}

const client = new UniversalMcpClient({
  logger,
  defaults: { health: { intervalMs: 0 } },
  handlers: {
    // Accept with nothing filled in: the schema's defaults are applied (SEP-1034).
    elicitation: () => ({ action: 'accept', content: {} }),
    sampling: () => ({
      role: 'assistant',
      content: { type: 'text', text: 'sampled' },
      model: 'conformance',
      stopReason: 'endTurn',
    }),
    roots: () => ({ roots: [] }),
  },
});

const auth = authFor(scenario);
const config: ServerConfig = {
  name: 'server',
  transport: 'streamable_http',
  url,
  ...(auth === undefined ? {} : { auth }),
};

let exitCode = 0;
try {
  const info = await client.addServer(config);
  log(
    'connected',
    info.serverVersion,
    info.tools.map((t) => t.name),
  );
  const tools = new Set(info.tools.map((t) => t.name));
  const call = async (tool: string, args: Record<string, unknown> = {}): Promise<void> => {
    const result = await client.callTool('server', tool, args, { timeoutMs: 20_000 });
    log('called', tool, result);
  };
  if (scenario === 'tools_call' || scenario === 'tools-call') {
    for (const t of info.tools) if (t.name === 'add_numbers') await call('add_numbers', { a: 5, b: 3 });
  } else if (scenario.startsWith('elicitation')) {
    await call('test_client_elicitation_defaults');
  } else if (scenario === 'sse-retry') {
    await call('test_reconnection');
  } else if (scenario.startsWith('auth/') && tools.has('test-tool')) {
    await call('test-tool');
  }
} catch (err) {
  const why = err instanceof Error ? `${(err as { code?: string }).code ?? ''} ${err.message}` : String(err);
  process.stderr.write(`conformance client: ${why}\n`);
  exitCode = 1;
} finally {
  await client.close();
}
process.exit(exitCode);
