import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { eventually, stopChild } from './servers.js';

const NGINX = process.env.NGINX ?? '/usr/sbin/nginx';

/** nginx in front of gateway replicas: where it listens, its log directory, and how to stop it. */
export interface NginxFront {
  readonly url: URL;
  /** One line per request: the replica (`127.0.0.1:PORT`) that answered it, in order. */
  readonly accessLog: string;
  readonly errorLog: string;
  stop(): Promise<void>;
}

/**
 * Debian's nginx (.ci/run installs nginx-light) as a round-robin load balancer, no sticky routing:
 * a replica that refuses the connection is skipped (the request had not reached it, so it goes to
 * the next one). Its files live in `dir`.
 */
export async function startNginx(dir: string, front: number, replicaPorts: readonly number[]): Promise<NginxFront> {
  if (!existsSync(NGINX)) throw new Error(`${NGINX} is missing: install Debian's nginx-light (.ci/run does)`);
  const accessLog = join(dir, 'access.log');
  const errorLog = join(dir, 'error.log');
  const conf = `
daemon off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${errorLog} warn;
events { worker_connections 64; }
http {
  log_format replica '$upstream_addr $request_method $status';
  access_log ${accessLog} replica;
  client_body_temp_path ${dir}/body; proxy_temp_path ${dir}/proxy; fastcgi_temp_path ${dir}/fcgi;
  uwsgi_temp_path ${dir}/uwsgi; scgi_temp_path ${dir}/scgi;
  upstream gateways {
    ${replicaPorts.map((p) => `server 127.0.0.1:${p} max_fails=1 fail_timeout=30s;`).join('\n    ')}
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
  const child: ChildProcess = spawn(NGINX, ['-p', dir, '-c', join(dir, 'nginx.conf')], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const url = new URL(`http://127.0.0.1:${front}/mcp`);
  try {
    await eventually(async () => (await fetch(new URL('/healthz', url)).catch(() => undefined))?.ok === true, 10_000);
  } catch (err) {
    await stopChild(child);
    throw err;
  }
  return { url, accessLog, errorLog, stop: () => stopChild(child) };
}
