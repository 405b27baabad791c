import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode, PROTOCOL_2026, UniversalMcpError, type InputRound, type ServerConfig } from '@universal-mcp/core';
import { McpSession } from '@universal-mcp/core/internal';
import { descendantsOf, type HttpServerProcess } from '../helpers/servers.js';
import { ANSWERS, eraStdio, startEraHttp } from './era-servers.js';

// MRTR (2026-07-28 input_required) against the SDK v2 era fixture: rounds answered by the same
// handlers a 2025 server reaches by request, reported to the listener, isolated between calls.

const TIMEOUT = 10_000;
let server: HttpServerProcess | undefined;
let session: McpSession | undefined;

afterEach(async () => {
  await session?.close();
  await server?.stop();
  session = undefined;
  server = undefined;
  expect(await descendantsOf(process.pid)).toEqual([]);
});

async function configFor(transport: 'stdio' | 'http', env: Record<string, string> = {}): Promise<ServerConfig> {
  if (transport === 'stdio') return eraStdio('mrtr', env) as ServerConfig;
  server = await startEraHttp(env);
  return { name: 'mrtr', transport: 'streamable_http', url: server.url } as ServerConfig;
}

describe.each(['stdio', 'http'] as const)('MRTR over %s', (transport) => {
  it('deploy: one elicitation round (the Region header checked by the server), requestState echoed', async () => {
    const rounds: InputRound[] = [];
    session = await McpSession.open(await configFor(transport), {
      timeoutMs: TIMEOUT,
      handlers: ANSWERS,
      listener: { inputRequired: (round) => rounds.push(round) },
    });
    expect(session.era).toBe(PROTOCOL_2026);
    await session.listTools({ timeoutMs: TIMEOUT });
    const ids: (string | number)[] = [];
    const result = await session.callTool(
      'deploy',
      { region: 'eu-west', env: 'prod' },
      { timeoutMs: TIMEOUT, onSent: (id) => ids.push(id) },
    );
    expect(result.content).toEqual([{ type: 'text', text: 'deployed prod in eu-west (deploy:prod)' }]);
    expect(rounds).toEqual([
      { method: 'tools/call', round: 1, requests: [{ key: 'confirm', method: 'elicitation/create' }] },
    ]);
    // The retry went out under a new JSON-RPC id.
    expect(ids).toHaveLength(2);
    expect(new Set(ids).size).toBe(2);
  });

  it('a tool called before tools/list has no Mcp-Param-* headers: the server refuses it, typed', async () => {
    session = await McpSession.open(await configFor(transport), { timeoutMs: TIMEOUT, handlers: ANSWERS });
    const call = session.callTool('deploy', { region: 'eu', env: 'x' }, { timeoutMs: TIMEOUT });
    // stdio carries no headers: only HTTP can disagree with the body.
    if (transport === 'stdio') await expect(call).resolves.toMatchObject({ content: [{ type: 'text' }] });
    else
      await expect(call).rejects.toMatchObject({
        code: ErrorCode.PROTOCOL_ERROR,
        rpcCode: -32020,
        details: { reason: 'header_mismatch' },
      });
  });

  it('parallel calls: elicitation, sampling and roots in one round each, no state mixed', async () => {
    const rounds: InputRound[] = [];
    session = await McpSession.open(await configFor(transport), {
      timeoutMs: TIMEOUT,
      handlers: ANSWERS,
      listener: { inputRequired: (round) => rounds.push(round) },
    });
    const tags = ['a', 'b', 'c', 'd', 'e', 'f'];
    const results = await Promise.all(tags.map((tag) => session!.callTool('ask', { tag }, { timeoutMs: TIMEOUT })));
    results.forEach((result, i) => {
      const tag = tags[i]!;
      expect(result.content).toEqual([
        { type: 'text', text: `${tag}: name-${tag} / sampled-${tag} / file:///work / ask:${tag}` },
      ]);
    });
    expect(rounds).toHaveLength(tags.length);
    for (const round of rounds)
      expect(round.requests.map((r) => r.method).sort()).toEqual([
        'elicitation/create',
        'roots/list',
        'sampling/createMessage',
      ]);
  });

  it('a failing handler fails the call with its typed error; an undeclared capability is refused, typed', async () => {
    const refused = new UniversalMcpError(ErrorCode.CANCELLED, 'the user closed the dialog');
    session = await McpSession.open(await configFor(transport), {
      timeoutMs: TIMEOUT,
      handlers: {
        elicitation: async () => {
          throw refused;
        },
      },
    });
    await session.listTools({ timeoutMs: TIMEOUT }); // deploy's x-mcp-header declaration
    await expect(session.callTool('deploy', { region: 'eu', env: 'x' }, { timeoutMs: TIMEOUT })).rejects.toMatchObject({
      code: ErrorCode.CANCELLED,
      message: refused.message,
      server: 'mrtr',
    });
    // `ask` needs sampling and roots too: the envelope's clientCapabilities say this client has no
    // handler for them, and the server refuses before asking (-32021).
    await expect(session.callTool('ask', { tag: 'z' }, { timeoutMs: TIMEOUT })).rejects.toMatchObject({
      code: ErrorCode.PROTOCOL_ERROR,
      rpcCode: -32021,
      details: { reason: 'missing_capability' },
    });
  });

  it('an abort while the user is asked ends the call CANCELLED', async () => {
    const controller = new AbortController();
    session = await McpSession.open(await configFor(transport), {
      timeoutMs: TIMEOUT,
      handlers: {
        elicitation: (_params, context) =>
          new Promise((_resolve, reject) => {
            context.signal.addEventListener('abort', () => reject(new Error('aborted')), { once: true });
            setTimeout(() => controller.abort(), 50);
          }),
      },
    });
    await session.listTools({ timeoutMs: TIMEOUT });
    await expect(
      session.callTool('deploy', { region: 'eu', env: 'x' }, { timeoutMs: TIMEOUT, signal: controller.signal }),
    ).rejects.toMatchObject({ code: ErrorCode.CANCELLED });
  });
});
