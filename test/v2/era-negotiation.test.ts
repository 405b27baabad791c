import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode, PROTOCOL_2025, PROTOCOL_2026, type ProtocolSetting, type ServerConfig } from '@universal-mcp/core';
import { McpSession } from '@universal-mcp/core/internal';
import {
  EVERYTHING,
  descendantsOf,
  hostileStdio,
  startEverythingHttp,
  type HttpServerProcess,
} from '../helpers/servers.js';
import { eraLog, eraStdio, startEraHttp } from './era-servers.js';

// Era negotiation per server, against real servers: the SDK v2 era fixture (2026-07-28 and 2025)
// and server-everything (SDK v1, 2025 only), over stdio and Streamable HTTP.

const TIMEOUT = 10_000;
let servers: HttpServerProcess[] = [];
let sessions: McpSession[] = [];

afterEach(async () => {
  await Promise.all(sessions.map((s) => s.close()));
  await Promise.all(servers.map((s) => s.stop()));
  sessions = [];
  servers = [];
  expect(await descendantsOf(process.pid)).toEqual([]);
});

type Target = 'v2-stdio' | 'v2-http' | 'everything-stdio' | 'everything-http';

async function configFor(target: Target, protocol: ProtocolSetting, env: Record<string, string> = {}) {
  const base = { name: target, protocol };
  if (target === 'v2-stdio') return { ...eraStdio(target, env), protocol } as ServerConfig;
  if (target === 'everything-stdio')
    return { ...base, transport: 'stdio', command: process.execPath, args: [EVERYTHING, 'stdio'] } as ServerConfig;
  const server = target === 'v2-http' ? await startEraHttp(env) : await startEverythingHttp('streamableHttp');
  servers.push(server);
  return { ...base, transport: 'streamable_http', url: server.url } as ServerConfig;
}

async function open(config: ServerConfig): Promise<McpSession> {
  const session = await McpSession.open(config, { timeoutMs: TIMEOUT });
  sessions.push(session);
  return session;
}

describe('era negotiation', () => {
  it.each([
    ['v2-stdio', 'auto', PROTOCOL_2026],
    ['v2-http', 'auto', PROTOCOL_2026],
    ['v2-stdio', PROTOCOL_2026, PROTOCOL_2026],
    ['v2-http', PROTOCOL_2026, PROTOCOL_2026],
    ['v2-stdio', PROTOCOL_2025, PROTOCOL_2025],
    ['v2-http', PROTOCOL_2025, PROTOCOL_2025],
    ['everything-stdio', 'auto', PROTOCOL_2025],
    ['everything-http', 'auto', PROTOCOL_2025],
  ] as const)('%s with protocol %s speaks %s, and its tools answer', async (target, protocol, era) => {
    const session = await open(await configFor(target, protocol));
    expect(session.era).toBe(era);
    expect(session.protocolVersion).toBe(era);
    // What was learned is kept for the next session, except under a 2025 pin (nothing was learned).
    expect(session.verdict?.kind).toBe(
      protocol === PROTOCOL_2025 ? undefined : era === PROTOCOL_2026 ? 'modern' : 'legacy',
    );
    const { tools } = await session.listTools({ timeoutMs: TIMEOUT });
    expect(tools.length).toBeGreaterThan(0);
    await session.ping({ timeoutMs: TIMEOUT });
    if (era === PROTOCOL_2026) {
      // serverInfo, capabilities and instructions come from server/discover.
      expect(session.serverVersion).toEqual({ name: 'era-fixture', version: '2.0.0' });
      expect(session.instructions).toBe('Era fixture.');
      expect(session.capabilities?.tools).toBeDefined();
      expect(session.sessionId).toBeUndefined();
      const echo = await session.callTool('echo', { text: 'hi' }, { timeoutMs: TIMEOUT });
      expect(echo.content).toEqual([{ type: 'text', text: 'hi' }]);
    }
  });

  it.each(['everything-stdio', 'everything-http'] as const)(
    '%s pinned to 2026-07-28: UNSUPPORTED_PROTOCOL_VERSION at connect',
    async (target) => {
      const err = await McpSession.open(await configFor(target, PROTOCOL_2026), { timeoutMs: TIMEOUT }).catch(
        (e: unknown) => e,
      );
      expect(err).toMatchObject({
        code: ErrorCode.UNSUPPORTED_PROTOCOL_VERSION,
        details: { supported: [], requested: PROTOCOL_2026 },
      });
    },
  );

  it.each(['v2-stdio', 'v2-http'] as const)(
    'a 2026-only server (%s) pinned to 2025-11-25: UNSUPPORTED_PROTOCOL_VERSION naming what it offers',
    async (target) => {
      const err = await McpSession.open(await configFor(target, PROTOCOL_2025, { ERA_ONLY: '2026' }), {
        timeoutMs: TIMEOUT,
      }).catch((e: unknown) => e);
      expect(err).toMatchObject({
        code: ErrorCode.UNSUPPORTED_PROTOCOL_VERSION,
        details: { supported: [PROTOCOL_2026], requested: PROTOCOL_2025 },
      });
    },
  );

  it('a 2025 stdio server that exits on server/discover is legacy: started again, one process at a time', async () => {
    const log = await eraLog();
    try {
      const session = await open(eraStdio('exits', { ERA_EXIT_ON_DISCOVER: '1', ERA_LOG: log.file }) as ServerConfig);
      expect(session.era).toBe(PROTOCOL_2025);
      expect(session.verdict).toEqual({ kind: 'legacy' });
      // No SDK sibling: the probe ended the first process, the second one only got initialize.
      expect(await log.lines()).toEqual(['start', 'server/discover', 'start', 'initialize']);
    } finally {
      await log.remove();
    }
  });

  it('a silent 2025 stdio server (no answer to server/discover) is legacy after half the connect timeout', async () => {
    const config = { ...hostileStdio('silent', { SILENT_UNKNOWN: '1' }), protocol: 'auto' } as ServerConfig;
    const session = await McpSession.open(config, { timeoutMs: 4000 });
    sessions.push(session);
    expect(session.era).toBe(PROTOCOL_2025);
    expect(session.verdict).toEqual({ kind: 'legacy' });
    expect((await session.listTools({ timeoutMs: TIMEOUT })).tools.length).toBeGreaterThan(0);
  });

  it('a stdio server that answers server/discover -32601 falls back to initialize on the same process', async () => {
    const log = await eraLog();
    try {
      const session = await open(eraStdio('legacy', { ERA_ONLY: '2025', ERA_LOG: log.file }) as ServerConfig);
      expect(session.era).toBe(PROTOCOL_2025);
      expect(await log.lines()).toEqual(['start', 'server/discover', 'initialize']);
    } finally {
      await log.remove();
    }
  });

  it('a prior verdict connects without a probe', async () => {
    const log = await eraLog();
    try {
      const config = eraStdio('prior', { ERA_LOG: log.file }) as ServerConfig;
      const first = await open(config);
      const verdict = first.verdict;
      expect(verdict?.kind).toBe('modern');
      const second = await McpSession.open(config, { timeoutMs: TIMEOUT, prior: verdict });
      sessions.push(second);
      expect(second.era).toBe(PROTOCOL_2026);
      expect((await second.callTool('echo', { text: 'again' }, { timeoutMs: TIMEOUT })).content).toHaveLength(1);
      expect(await log.lines()).toEqual(['start', 'server/discover', 'start']);
    } finally {
      await log.remove();
    }
  });
});
