// Two `umcp serve` replicas behind nginx with no sticky routing, and 2026-07-28 clients: each
// request may land on either replica. Calls spread over both; an input round (a 2025 upstream's
// elicitation, a 2026 upstream's input_required) whose retry lands on the other replica is forwarded
// to the replica whose call waits for it; killing one replica loses only what it held.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/client';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNginx, type NginxFront } from '../helpers/nginx.js';
import { eventually, FIXTURE, freePort, stopChild, UMCP } from '../helpers/servers.js';
import { V2_FIXTURE } from '../helpers/published-servers.js';

const TOKEN = 'replica-2026-token-0123456789';
const REVISION = '2026-07-28';

/** A v2 client pinned to 2026-07-28 through `url`, answering elicitations with a name. */
async function modernClient(url: URL): Promise<Client> {
  const client = new Client(
    { name: 'behind-nginx-2026', version: '1.0.0' },
    { capabilities: { elicitation: { form: {} } }, versionNegotiation: { mode: { pin: REVISION } } },
  );
  client.setRequestHandler('elicitation/create', () => ({ action: 'accept', content: { name: 'Ada', answer: '42' } }));
  await client.connect(
    new StreamableHTTPClientTransport(url, { requestInit: { headers: { authorization: `Bearer ${TOKEN}` } } }),
  );
  return client;
}

/** The text of a tool result. */
const textOf = (r: unknown): string => ((r as { content: { text: string }[] }).content[0] as { text: string }).text;

/** The upstream processes (the fixture's `stats` pid) that answered `calls` calls, one after another. */
async function upstreamPids(client: Client, calls: number): Promise<Set<number>> {
  const pids = new Set<number>();
  for (let i = 0; i < calls; i += 1)
    pids.add((JSON.parse(textOf(await client.callTool({ name: 'stats' }))) as { pid: number }).pid);
  return pids;
}

/** A raw 2026-07-28 `tools/call` POST (the envelope in `_meta`, the headers it must match). */
function rawCall(url: URL, id: number, name: string, extra: Record<string, unknown> = {}) {
  return fetch(url, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${TOKEN}`,
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': REVISION,
      'mcp-method': 'tools/call',
      'mcp-name': name,
    },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id,
      method: 'tools/call',
      params: {
        name,
        arguments: {},
        ...extra,
        _meta: {
          'io.modelcontextprotocol/protocolVersion': REVISION,
          'io.modelcontextprotocol/clientInfo': { name: 'raw', version: '1' },
          'io.modelcontextprotocol/clientCapabilities': { elicitation: { form: {} } },
        },
      },
    }),
  });
}

/** The JSON-RPC message of a response, JSON or a one-event SSE stream. */
async function messageOf(response: Response): Promise<{ result?: Record<string, unknown>; error?: unknown }> {
  const body = await response.text();
  if (!(response.headers.get('content-type') ?? '').includes('text/event-stream')) return JSON.parse(body);
  const data = body
    .split('\n')
    .filter((l) => l.startsWith('data: '))
    .map((l) => JSON.parse(l.slice(6)) as { result?: Record<string, unknown>; id?: unknown })
    .find((m) => m.id !== undefined);
  if (data === undefined) throw new Error(`no response in ${body}`);
  return data;
}

describe('2026-07-28 clients over replicas behind nginx, no affinity', { timeout: 120_000 }, () => {
  let dir: string | undefined;
  const replicas: { child: ChildProcess; port: number; stderr: () => string }[] = [];
  let nginx: NginxFront | undefined;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'umcp-replicas-2026-'));
    const config = join(dir, 'mcp.json');
    await writeFile(
      config,
      JSON.stringify({
        mcpServers: {
          old: { command: process.execPath, args: [FIXTURE, 'stdio'], protocol: '2025-11-25' },
          new: { command: process.execPath, args: [V2_FIXTURE], protocol: REVISION },
        },
      }),
    );
    const front = await freePort();
    const ports = [await freePort(), await freePort()];
    const url = (p: number): string => `http://127.0.0.1:${p}/mcp`;
    for (const [i, port] of ports.entries()) {
      const other = ports[1 - i] as number;
      const args = [UMCP, 'serve', '--config', config, '--http', `127.0.0.1:${port}`, '--token-env', 'TOKEN'];
      args.push('--allow-host', `127.0.0.1:${front}`, '--replica', `r${i}`, '--peer', `r${1 - i}=${url(other)}`);
      const child = spawn(process.execPath, args, {
        env: { ...process.env, TOKEN },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
      replicas.push({ child, port, stderr: () => stderr });
    }
    for (const r of replicas) await eventually(() => /umcp serve: http:\/\/127\.0\.0\.1:\d+/.test(r.stderr()), 60_000);
    nginx = await startNginx(dir, front, ports);
  });

  afterAll(async () => {
    await nginx?.stop();
    for (const r of replicas) await stopChild(r.child);
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  /** The replica ports of the access log's lines from `from` on. */
  const landings = async (from: number): Promise<string[]> =>
    (await readFile(nginx?.accessLog as string, 'utf8'))
      .split('\n')
      .filter((l) => l !== '')
      .slice(from)
      .map((l) => l.split(' ')[0] as string);
  const logLength = async (): Promise<number> => (await landings(0)).length;

  it('calls of one client spread over both replicas, each answered', async () => {
    const client = await modernClient(nginx!.url);
    try {
      const pids = await upstreamPids(client, 8);
      // Each replica supervises its own upstream process: two pids, with no session tying the client to one.
      expect(pids.size).toBe(2);
    } finally {
      await client.close();
    }
  });

  it.each([
    ['a 2025 upstream (its elicitation request)', 'ask_elicitation', /"name":"Ada"/],
    ['a 2026 upstream (its input_required round)', 'ask', /answer: 42|Ada/],
  ])('an input round of %s whose retry lands on the other replica is answered', async (_what, tool, expected) => {
    const before = await logLength();
    const first = await messageOf(await rawCall(nginx!.url, 1, tool));
    const round = first.result as { resultType: string; inputRequests: Record<string, unknown>; requestState: string };
    expect(round.resultType).toBe('input_required');
    const [key] = Object.keys(round.inputRequests);
    const answers = { [key as string]: { action: 'accept', content: { name: 'Ada', answer: '42' } } };
    const retry = await messageOf(
      await rawCall(nginx!.url, 2, tool, { inputResponses: answers, requestState: round.requestState }),
    );
    expect(retry.error).toBeUndefined();
    expect(textOf(retry.result)).toMatch(expected);
    // nginx sent the call and its retry to different replicas: the retry was forwarded to the call's.
    const [callAt, retryAt] = await landings(before);
    expect(callAt).not.toBe(retryAt);
    // The same through the SDK client, several times (its rounds go round-robin too).
    const client = await modernClient(nginx!.url);
    try {
      for (let i = 0; i < 3; i += 1) expect(textOf(await client.callTool({ name: tool }))).toMatch(expected);
    } finally {
      await client.close();
    }
  });

  it('carries on through the other replica when one is killed', async () => {
    const client = await modernClient(nginx!.url);
    try {
      replicas[0]?.child.kill('SIGKILL');
      await new Promise((resolve) => replicas[0]?.child.once('exit', resolve));
      // Every call is answered, all by the replica left (one upstream process).
      expect((await upstreamPids(client, 6)).size).toBe(1);
    } finally {
      await client.close();
    }
  });
});
