// Two stateless `umcp serve` replicas behind nginx (Debian's package; .ci/run installs it), one
// SDK client through nginx: calls go round-robin to both; after one replica is SIGKILLed, no call
// that had not reached it is lost, and the client carries on through the other.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, FIXTURE, freePort, stopChild, UMCP } from '../helpers/servers.js';

const NGINX = process.env.NGINX ?? '/usr/sbin/nginx';
const TOKEN = 'replica-test-token-0123456789';

describe('stateless replicas behind nginx', () => {
  let dir: string | undefined;
  const replicas: { child: ChildProcess; port: number }[] = [];
  let nginx: ChildProcess | undefined;
  let url: URL;

  beforeAll(async () => {
    if (!existsSync(NGINX)) throw new Error(`${NGINX} is missing: install Debian's nginx-light (.ci/run does)`);
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
    // nginx as the load balancer: round-robin; a replica that refuses the connection is skipped
    // (the request had not reached it, so it goes to the next one).
    const conf = `
daemon off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 64; }
http {
  access_log off;
  client_body_temp_path ${dir}/body; proxy_temp_path ${dir}/proxy; fastcgi_temp_path ${dir}/fcgi;
  uwsgi_temp_path ${dir}/uwsgi; scgi_temp_path ${dir}/scgi;
  upstream gateways {
    ${replicas.map((r) => `server 127.0.0.1:${r.port} max_fails=1 fail_timeout=30s;`).join('\n    ')}
  }
  server {
    listen 127.0.0.1:${front};
    location / {
      proxy_pass http://gateways;
      proxy_http_version 1.1;
      proxy_set_header Host $http_host;
      proxy_set_header Connection "";
      proxy_buffering off;
      proxy_next_upstream error timeout;
    }
  }
}`;
    await writeFile(join(dir, 'nginx.conf'), conf);
    nginx = spawn(NGINX, ['-p', dir, '-c', join(dir, 'nginx.conf')], { stdio: ['ignore', 'ignore', 'pipe'] });
    url = new URL(`http://127.0.0.1:${front}/mcp`);
    await eventually(async () => (await fetch(new URL('/healthz', url)).catch(() => undefined))?.ok === true, 10_000);
  });

  afterAll(async () => {
    await stopChild(nginx);
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
    expect(await readFile(join(dir as string, 'error.log'), 'utf8')).toMatch(/connect\(\) failed|Connection refused/);
  });
});
