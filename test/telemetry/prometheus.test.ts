// A real Prometheus (Debian's package; .ci/run installs it) scrapes `umcp serve`'s /metrics with
// the gateway's token, and the test reads the series back through Prometheus's HTTP query API.
// promtool checks the exposition itself.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, FIXTURE, freePort, stopChild, UMCP } from '../helpers/servers.js';

const PROMETHEUS = process.env.PROMETHEUS ?? '/usr/bin/prometheus';
const PROMTOOL = process.env.PROMTOOL ?? '/usr/bin/promtool';
const TOKEN = 'prometheus-test-token-0123456789';
const text = (r: unknown): string => ((r as CallToolResult).content[0] as { text: string }).text;

describe('Prometheus scrapes umcp serve', () => {
  let dir: string | undefined;
  let serve: ChildProcess | undefined;
  let prometheus: ChildProcess | undefined;
  let mcp: URL;
  let api: URL;

  beforeAll(async () => {
    for (const bin of [PROMETHEUS, PROMTOOL])
      if (!existsSync(bin)) throw new Error(`${bin} is missing: install Debian's prometheus (.ci/run does)`);
    dir = await mkdtemp(join(tmpdir(), 'umcp-prometheus-'));
    const config = join(dir, 'mcp.json');
    await writeFile(
      config,
      JSON.stringify({ mcpServers: { fx: { command: process.execPath, args: [FIXTURE, 'stdio'] } } }),
    );
    serve = spawn(
      process.execPath,
      [UMCP, 'serve', '--config', config, '--http', '127.0.0.1:0', '--token-env', 'TOKEN'],
      {
        env: { ...process.env, TOKEN },
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let stderr = '';
    serve.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    await eventually(() => /umcp serve: http:\/\/\S+/.test(stderr), 20_000);
    mcp = new URL(/umcp serve: (\S+)/.exec(stderr)?.[1] as string);
    const port = await freePort();
    api = new URL(`http://127.0.0.1:${port}/api/v1/query`);
    await writeFile(
      join(dir, 'prometheus.yml'),
      [
        'global: { scrape_interval: 1s }',
        'scrape_configs:',
        '  - job_name: umcp',
        '    metrics_path: /metrics',
        `    authorization: { credentials: ${TOKEN} }`,
        `    static_configs: [{ targets: ["${mcp.host}"] }]`,
      ].join('\n'),
    );
    prometheus = spawn(
      PROMETHEUS,
      [
        `--config.file=${join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
      ],
      { stdio: 'ignore' },
    );
  });

  afterAll(async () => {
    await stopChild(prometheus);
    await stopChild(serve);
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  /** The value of an instant query's first series (undefined while there is none). */
  async function query(promql: string): Promise<number | undefined> {
    const res = await fetch(`${api.href}?query=${encodeURIComponent(promql)}`).catch(() => undefined);
    if (res?.ok !== true) return undefined;
    const body = (await res.json()) as { data: { result: { value: [number, string] }[] } };
    const first = body.data.result[0];
    return first === undefined ? undefined : Number(first.value[1]);
  }

  it('reads calls by outcome, the restart and the duration histogram back through PromQL', async () => {
    const client = new Client({ name: 'scraped', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(mcp, { requestInit: { headers: { authorization: `Bearer ${TOKEN}` } } }),
    );
    try {
      expect(text(await client.callTool({ name: 'echo', arguments: { text: 'one' } }))).toBe('one');
      // A crash during a call: the call fails with CONNECTION_LOST, the supervisor restarts the server.
      const { pid } = JSON.parse(text(await client.callTool({ name: 'stats', arguments: {} }))) as { pid: number };
      const lost = client.callTool({ name: 'sleep', arguments: { ms: 5000 } });
      await new Promise((r) => setTimeout(r, 200));
      process.kill(pid, 'SIGKILL');
      expect(text(await lost)).toMatch(/^CONNECTION_LOST/);
      await eventually(async () => {
        const r = await client.callTool({ name: 'echo', arguments: { text: 'two' } });
        return r.isError !== true;
      }, 20_000);
    } finally {
      await client.close();
    }

    await eventually(
      async () => (await query('umcp_client_calls_total{umcp_outcome="CONNECTION_LOST"}')) === 1,
      30_000,
    );
    await eventually(async () => (await query('sum(umcp_server_restarts_total)')) === 1, 30_000);
    await eventually(async () => ((await query('sum(mcp_client_operation_duration_count)')) ?? 0) >= 4, 30_000);
    expect(await query('umcp_server_state{umcp_server_state="ready"}')).toBe(1);
    expect(await query('sum(mcp_client_operation_duration_bucket{le="+Inf"})')).toBeGreaterThanOrEqual(4);

    const exposition = await (
      await fetch(new URL('/metrics', mcp), { headers: { authorization: `Bearer ${TOKEN}` } })
    ).text();
    const check = spawnSync(PROMTOOL, ['check', 'metrics'], { input: exposition, encoding: 'utf8' });
    expect(`${check.stdout}${check.stderr}`).toBe('');
    expect(check.status).toBe(0);
    // Without the token, nothing.
    expect((await fetch(new URL('/metrics', mcp))).status).toBe(401);
  });
});
