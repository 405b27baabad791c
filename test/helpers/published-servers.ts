// Launch descriptors for the published SDK v2 servers in test/node_modules (never fetched at test
// time) and for the repo's own SDK v2 fixture (test/fixtures/v2-server.mjs).
//
// What was measured here (December 2026, SDK v2 client 2.4.0 in `auto` mode):
// - server-basic-vanillajs 2.0.3, server-system-monitor 2.0.3 and server-pdf 2.0.4 are bundles of
//   @modelcontextprotocol/server 2.0.0. Their `dist/index.js` serves stdio with `--stdio`, otherwise
//   Streamable HTTP (stateless, a fresh instance per request) on 0.0.0.0:$PORT/mcp (default 3001):
//   bind-loopback.mjs pins that to 127.0.0.1 and reports the port.
// - None answers `server/discover`: on stdio it is "Method not found" (-32601), on HTTP the 2026
//   MCP-Protocol-Version header is refused (-32000, "Unsupported protocol version"). The auto
//   client falls back to `initialize` and speaks 2025-11-25 with all three, on both transports.
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { handle, type HttpServerProcess } from './servers.js';

/** A published or v2 fixture server process listening on 127.0.0.1. */
export type StartedHttpServer = HttpServerProcess;

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const BIND_LOOPBACK = join(here, '..', 'fixtures', 'bind-loopback.mjs');

/** The repo's SDK v2 fixture server (both eras; `--http`, `--only-2026`, `--only-2025`). */
export const V2_FIXTURE = join(here, '..', 'fixtures', 'v2-server.mjs');

/** The repo's 2026-07-28 Tasks extension fixture server (test/fixtures/tasks-server.mjs). */
export const TASKS_FIXTURE = join(here, '..', 'fixtures', 'tasks-server.mjs');

/** The Tasks fixture as a stdio server config named `name`, polled every 100 ms (its tasks are short-lived). */
export function tasksFixtureStdio(name: string, extra: Record<string, unknown> = {}) {
  return {
    name,
    transport: 'stdio' as const,
    command: process.execPath,
    args: [TASKS_FIXTURE, '--poll-interval-ms', '100'],
    ...extra,
  };
}

/** The repo's 2025-11-25 experimental tasks fixture server on SDK v1 (test/fixtures/tasks-server-2025.mjs). */
export const TASKS_FIXTURE_2025 = join(here, '..', 'fixtures', 'tasks-server-2025.mjs');

/** How to start one published server, and what it lists. */
export interface PublishedServer {
  readonly name: string;
  /** Its entry point, run with `node`. */
  readonly entry: string;
  /** Arguments for stdio. */
  readonly stdioArgs: readonly string[];
  /** Tools it lists over stdio. */
  readonly stdioTools: readonly string[];
  /** Tools it lists over HTTP (server-pdf leaves its viewer-interaction tools out there). */
  readonly httpTools: readonly string[];
}

// Their exports map hides package.json: resolve the library (dist/server.js) and take its sibling.
const entry = (pkg: string): string => join(dirname(require.resolve(pkg)), 'index.js');

/** The published 2026-era (SDK v2) servers this repo tests against. */
export const PUBLISHED_SERVERS: readonly PublishedServer[] = [
  {
    name: 'basic-vanillajs',
    entry: entry('@modelcontextprotocol/server-basic-vanillajs'),
    stdioArgs: ['--stdio'],
    stdioTools: ['get-time'],
    httpTools: ['get-time'],
  },
  {
    name: 'system-monitor',
    entry: entry('@modelcontextprotocol/server-system-monitor'),
    stdioArgs: ['--stdio'],
    stdioTools: ['get-system-info', 'poll-system-stats'],
    httpTools: ['get-system-info', 'poll-system-stats'],
  },
  {
    name: 'pdf',
    entry: entry('@modelcontextprotocol/server-pdf'),
    stdioArgs: ['--stdio'],
    stdioTools: [
      'list_pdfs',
      'read_pdf_bytes',
      'display_pdf',
      'interact',
      'submit_page_data',
      'submit_save_data',
      'submit_viewer_state',
      'poll_pdf_commands',
      'save_pdf',
    ],
    httpTools: ['list_pdfs', 'read_pdf_bytes', 'display_pdf', 'save_pdf'],
  },
];

/** Resolves with the first match of `pattern` on the child's `stream`; rejects if it exits first or after 20 s. */
function lineOf(child: ChildProcess, stream: 'stdout' | 'stderr', pattern: RegExp): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no ${String(pattern)} within 20 s: ${seen.slice(0, 500)}`));
    }, 20_000);
    const onData = (chunk: Buffer): void => {
      seen = (seen + chunk.toString('utf8')).slice(-4096);
      const m = seen.match(pattern);
      if (m === null) return;
      clearTimeout(timer);
      child[stream]?.off('data', onData);
      child[stream]?.resume();
      resolve(m);
    };
    child[stream]?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code}) before listening: ${seen.slice(0, 500)}`));
    });
  });
}

/** Starts a published server over HTTP on a loopback port (PORT=0 through bind-loopback.mjs). */
export async function startPublishedHttp(server: PublishedServer): Promise<HttpServerProcess> {
  const child = spawn(process.execPath, ['--import', BIND_LOOPBACK, server.entry], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { PATH: process.env.PATH ?? '', PORT: '0' },
  });
  child.stdout?.resume();
  const m = await lineOf(child, 'stderr', /LOOPBACK_PORT=(\d+)/);
  return handle(child, `http://127.0.0.1:${m[1]}/mcp`);
}

/** Starts the SDK v2 fixture over HTTP on 127.0.0.1 (`flags`: `--only-2026`, `--only-2025`). */
export function startV2FixtureHttp(...flags: string[]): Promise<HttpServerProcess> {
  return startFixtureHttp(V2_FIXTURE, flags);
}

async function startFixtureHttp(entry: string, flags: readonly string[]): Promise<HttpServerProcess> {
  const child = spawn(process.execPath, [entry, '--http', ...flags], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stderr?.resume();
  const m = await lineOf(child, 'stdout', /(http:\/\/127\.0\.0\.1:\d+\/mcp)/);
  return handle(child, m[1]!);
}

/** Starts the Tasks fixture over HTTP on 127.0.0.1 with `flags` (e.g. `--poll-interval-ms 50`). */
export function startTasksFixtureHttp(...flags: string[]): Promise<HttpServerProcess> {
  return startFixtureHttp(TASKS_FIXTURE, flags);
}

/** Starts the 2025-11-25 tasks fixture (SDK v1, sessions) over HTTP on 127.0.0.1 with `flags`. */
export function startTasksFixture2025Http(...flags: string[]): Promise<HttpServerProcess> {
  return startFixtureHttp(TASKS_FIXTURE_2025, flags);
}
