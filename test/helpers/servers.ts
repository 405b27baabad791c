import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

/** The built `umcp` command line (packages/cli), runnable with `node`. */
export const UMCP = join(dirname(require.resolve('@universal-mcp/cli/package.json')), 'bin', 'umcp.js');
/** The repo's fixture server (SDK McpServer), runnable with `node`. */
export const FIXTURE = join(here, '..', 'fixtures', 'fixture-server.mjs');
/** @modelcontextprotocol/server-everything's entry point in node_modules (never fetched at test time). */
export const EVERYTHING = join(
  dirname(require.resolve('@modelcontextprotocol/server-everything/package.json')),
  'dist',
  'index.js',
);
/** @modelcontextprotocol/server-filesystem's entry point (arguments: the directories it may touch). */
export const FILESYSTEM = join(
  dirname(require.resolve('@modelcontextprotocol/server-filesystem/package.json')),
  'dist',
  'index.js',
);
/** @modelcontextprotocol/server-memory's entry point (MEMORY_FILE_PATH: where it keeps its graph). */
export const MEMORY = join(
  dirname(require.resolve('@modelcontextprotocol/server-memory/package.json')),
  'dist',
  'index.js',
);
const BIND_LOOPBACK = join(here, '..', 'fixtures', 'bind-loopback.mjs');

/** A server process listening on 127.0.0.1. */
export interface HttpServerProcess {
  readonly url: string;
  readonly child: ChildProcess;
  /** SIGKILLs the process and waits for it to be gone. */
  stop(): Promise<void>;
}

function waitFor(child: ChildProcess, stream: 'stdout' | 'stderr', pattern: RegExp): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const onData = (chunk: Buffer): void => {
      seen += chunk.toString('utf8');
      const m = seen.match(pattern);
      if (m) {
        child[stream]?.off('data', onData);
        child[stream]?.resume();
        resolve(m);
      }
    };
    child[stream]?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`server exited (${code}) before listening: ${seen}`)));
  });
}

/** Wraps a listening server process with its URL and a stop that SIGKILLs it. */
export /** The handle of a started HTTP server process: its URL, and a stop that SIGKILLs it and waits. */
function handle(child: ChildProcess, url: string): HttpServerProcess {
  return {
    url,
    child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      }),
  };
}

/**
 * Client defaults for a test whose HTTP server goes away and comes back: quick retries, no pings, and no restart
 * limit, since a loaded machine may take seconds to start the server again and must not see it given up.
 */
export const SERVER_COMES_BACK = {
  backoff: { initialDelayMs: 100, maxDelayMs: 300 },
  health: { intervalMs: 0 },
  intensity: { maxRestarts: 1000 },
} as const;

/** Sends the fixture server SIGUSR2 (it forgets every HTTP session) and resolves once it has. */
export function forgetSessions(server: HttpServerProcess): Promise<unknown> {
  const done = waitFor(server.child, 'stderr', /sessions dropped/);
  server.child.kill('SIGUSR2');
  return done;
}

/** Starts the fixture server over Streamable HTTP ('http') or legacy SSE ('sse') on 127.0.0.1. */
export async function startFixtureHttp(mode: 'http' | 'sse', port = 0): Promise<HttpServerProcess> {
  const child = spawn(process.execPath, [FIXTURE, mode, String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stderr.resume();
  const m = await waitFor(child, 'stdout', /listening (\S+)/);
  return handle(child, m[1]!);
}

/**
 * Starts the OAuth fixture (test/fixtures/oauth-migration-server.mjs): an MCP server behind two real
 * authorization servers, the second taking over on `POST /migrate`.
 */
export async function startOAuthMigrationHttp(): Promise<HttpServerProcess> {
  const child = spawn(process.execPath, [join(here, '..', 'fixtures', 'oauth-migration-server.mjs')], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stderr.resume();
  const m = await waitFor(child, 'stdout', /listening (\S+)/);
  return handle(child, m[1]!);
}

/** Starts server-everything in an HTTP mode on a loopback port. */
export async function startEverythingHttp(mode: 'streamableHttp' | 'sse'): Promise<HttpServerProcess> {
  const child = spawn(process.execPath, ['--import', BIND_LOOPBACK, EVERYTHING, mode], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { PATH: process.env.PATH ?? '', PORT: '0' },
  });
  child.stdout.resume();
  const m = await waitFor(child, 'stderr', /LOOPBACK_PORT=(\d+)/);
  return handle(child, `http://127.0.0.1:${m[1]}/${mode === 'sse' ? 'sse' : 'mcp'}`);
}

/** Pids of every living descendant of `pid` (from /proc). */
export async function descendantsOf(pid: number): Promise<number[]> {
  const { readdir, readFile } = await import('node:fs/promises');
  const parents = new Map<number, number>();
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = await readFile(`/proc/${entry}/stat`, 'utf8');
      // pid (comm) state ppid ... — comm may hold spaces, so split after the last ')'.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (fields[0] === 'Z') continue;
      parents.set(Number(entry), Number(fields[1]));
    } catch {
      // The process ended while we looked.
    }
  }
  const out: number[] = [];
  const walk = (p: number): void => {
    for (const [child, parent] of parents)
      if (parent === p) {
        out.push(child);
        walk(child);
      }
  };
  walk(pid);
  return out;
}

/** Resolves when `predicate` is true, polling every 10 ms; rejects after `timeoutMs`. */
export async function eventually(predicate: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** The fixture server as an `mcpServers` entry of a config file (stdio). */
export const FIXTURE_ENTRY = { command: process.execPath, args: [FIXTURE, 'stdio'] };

/** A fresh temporary folder (`prefix` + random) with `mcp.json` holding these servers; the test removes `dir`. */
export async function tempConfig(
  prefix: string,
  mcpServers: Record<string, unknown>,
): Promise<{ dir: string; config: string }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  const config = join(dir, 'mcp.json');
  await writeFile(config, JSON.stringify({ mcpServers }));
  return { dir, config };
}

/** A stdio config for the fixture server, with fast backoff so tests do not wait. */
export function fixtureStdio(name: string, extra: Record<string, unknown> = {}) {
  return {
    name,
    transport: 'stdio' as const,
    command: process.execPath,
    args: [FIXTURE, 'stdio'],
    backoff: { initialDelayMs: 50, maxDelayMs: 200 },
    ...extra,
  };
}

/** A stdio config for server-everything (it has `instructions`, and annotated tools). */
export function everythingStdio(name: string, extra: Record<string, unknown> = {}) {
  return { name, transport: 'stdio' as const, command: process.execPath, args: [EVERYTHING, 'stdio'], ...extra };
}

/** The hand-written stdio server that misbehaves on purpose (test/fixtures/hostile-stdio.mjs). */
export const HOSTILE = join(here, '..', 'fixtures', 'hostile-stdio.mjs');

/** A stdio config for the hostile server, its behaviour chosen by `env`; no health pings. */
export function hostileStdio(name: string, env: Record<string, string> = {}, extra: Record<string, unknown> = {}) {
  return {
    name,
    transport: 'stdio' as const,
    command: process.execPath,
    args: [HOSTILE],
    env,
    health: { intervalMs: 0 },
    ...extra,
  };
}

/** Parses the fixture's `stats` tool answer. */
export function parseStats(result: { content: unknown[] }): {
  inFlight: number;
  maxInFlight: number;
  cancelled: string[];
  pid: number;
} {
  return JSON.parse((result.content[0] as { text: string }).text);
}

/** A free port on 127.0.0.1, for programs that cannot report the one they picked (nginx, Prometheus). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Ends `child` (SIGTERM, then SIGKILL after 5 s) and waits until it is gone. */
export async function stopChild(child: ChildProcess | undefined): Promise<void> {
  if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await gone;
  clearTimeout(timer);
}
