// The conformance client: `node dist/client.js <server-url>`, with MCP_CONFORMANCE_SCENARIO,
// MCP_CONFORMANCE_PROTOCOL_VERSION and MCP_CONFORMANCE_CONTEXT (credentials, tool calls) set by
// @modelcontextprotocol/conformance. Built on UniversalMcpClient, not on the bare SDK: what passes
// here is what users get. reference-client.mjs does the same per scenario on the bare SDK v2 client.
import { pino } from 'pino';
import { UniversalMcpClient, type HttpAuthConfig, type ServerConfig } from '@universal-mcp/supervisor';

const url = process.argv[2];
const scenario = process.env.MCP_CONFORMANCE_SCENARIO ?? '';
/** The revision the suite runs this scenario at: 2025-11-25 stays on initialize, 2026-07-28 discovers. */
const protocol: 'auto' | '2026-07-28' | '2025-11-25' =
  process.env.MCP_CONFORMANCE_PROTOCOL_VERSION === '2026-07-28'
    ? '2026-07-28'
    : process.env.MCP_CONFORMANCE_PROTOCOL_VERSION === '2025-11-25'
      ? '2025-11-25'
      : 'auto';
if (url === undefined) {
  process.stderr.write('usage: conformance-client <server-url>\n');
  process.exit(2);
}
const context = JSON.parse(process.env.MCP_CONFORMANCE_CONTEXT ?? '{}') as Record<string, string | undefined> & {
  toolCalls?: { name: string; arguments: Record<string, unknown> }[];
};
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
    // sep-2322's mock asks for {confirmed}; elsewhere accept with nothing filled in so the schema's
    // defaults are applied (SEP-1034).
    elicitation: async () => {
      await callUnrelatedOnce();
      const content: Record<string, boolean> = scenario.startsWith('sep-2322') ? { confirmed: true } : {};
      return { action: 'accept', content };
    },
    sampling: () => ({
      role: 'assistant',
      content: { type: 'text', text: 'sampled' },
      model: 'conformance',
      stopReason: 'endTurn',
    }),
    roots: () => ({ roots: [] }),
  },
});

let unrelatedCalled = false;
/** sep-2322's isolation check: a call made while an MRTR round is open carries none of its state. */
async function callUnrelatedOnce(): Promise<void> {
  if (scenario !== 'sep-2322-client-request-state' || unrelatedCalled) return;
  unrelatedCalled = true;
  await client.callTool('server', 'test_mrtr_unrelated', {}, { timeoutMs: 20_000 });
}

const auth = authFor(scenario);
// The header scenarios call tools with arguments their schemas refuse (a null to omit, none at all):
// what is tested is the wire, so the client does not check arguments first.
const config: ServerConfig = {
  name: 'server',
  transport: 'streamable_http',
  url,
  protocol,
  ...(scenario.startsWith('http-') ? { validateArguments: false } : {}),
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
  } else if (scenario === 'sep-2322-client-request-state') {
    for (const name of ['test_mrtr_echo_state', 'test_mrtr_no_state', 'test_mrtr_no_result_type']) {
      if (tools.has(name)) await call(name);
    }
  } else if (scenario === 'http-standard-headers' || scenario === 'http-invalid-tool-headers') {
    // Every tool the client kept (one with an invalid x-mcp-header is left out), every resource, every prompt.
    for (const t of info.tools) await call(t.name);
    for (const r of info.resources) await client.readResource('server', r.uri);
    for (const p of info.prompts) await client.getPrompt('server', p.name, {});
  } else if (scenario === 'http-custom-headers') {
    for (const c of context.toolCalls ?? []) await call(c.name, c.arguments);
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
