// Two stateless `umcp serve` replicas behind nginx (Debian's package; .ci/run installs it), one
// SDK client through nginx: calls go round-robin to both; after one replica is SIGKILLed, no call
// that had not reached it is lost, and the client carries on through the other.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNginx, type NginxFront } from '../helpers/nginx.js';
import { eventually, FIXTURE, freePort, stopChild, UMCP } from '../helpers/servers.js';

const TOKEN = 'replica-test-token-0123456789';

describe('stateless replicas behind nginx', () => {
  let dir: string | undefined;
  const replicas: { child: ChildProcess; port: number }[] = [];
  let nginx: NginxFront | undefined;
  let url: URL;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'umcp-replicas-'));
    const config = join(dir, 'mcp.json');
    await writeFile(
      config,
      JSON.stringify({ mcpServers: { svc: { command: process.execPath, args: [FIXTURE, 'stdio'] } } }),
    );
    const front = await freePort();
    for (let i = 0; i < 2; i += 1) {
      const args = [UMCP, 'serve', '--config', config, '--http', '127.0.0.1:0', '--stateless', '--token-env', 'TOKEN'];
      const child = spawn(process.execPath, [...args, '--allow-host', `127.0.0.1:${front}`], {
        env: { ...process.env, TOKEN },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
      await eventually(() => /umcp serve: http:\/\/127\.0\.0\.1:\d+/.test(stderr), 20_000);
      replicas.push({ child, port: Number(/127\.0\.0\.1:(\d+)/.exec(stderr)?.[1]) });
    }
    nginx = await startNginx(
      dir,
      front,
      replicas.map((r) => r.port),
    );
    url = nginx.url;
  });

  afterAll(async () => {
    await nginx?.stop();
    for (const r of replicas) await stopChild(r.child);
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it('serves one client from both replicas and carries on when one is killed', async () => {
    const client = new Client({ name: 'behind-nginx', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(url, { requestInit: { headers: { authorization: `Bearer ${TOKEN}` } } }),
    );
    try {
      // Which upstream server process answered: each replica supervises its own.
      const pidOf = async (): Promise<number> => {
        const r = (await client.callTool({ name: 'stats', arguments: {} })) as CallToolResult;
        return (JSON.parse((r.content[0] as { text: string }).text) as { pid: number }).pid;
      };
      const before = new Set<number>();
      for (let i = 0; i < 10; i += 1) before.add(await pidOf());
      expect(before.size).toBe(2);

      replicas[0]?.child.kill('SIGKILL');
      await new Promise((resolve) => replicas[0]?.child.once('exit', resolve));
      const after: number[] = [];
      for (let i = 0; i < 20; i += 1) after.push(await pidOf());
      expect(new Set(after).size).toBe(1);
      expect(before.has(after[0] as number)).toBe(true);
      const echoed = (await client.callTool({ name: 'echo', arguments: { text: 'still here' } })) as CallToolResult;
      expect(echoed.content).toEqual([{ type: 'text', text: 'still here' }]);
    } finally {
      await client.close();
    }
    expect(await readFile(nginx?.errorLog as string, 'utf8')).toMatch(/connect\(\) failed|Connection refused/);
  });
});
