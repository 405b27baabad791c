// What the fault tests of the 2026 era start: the SDK v2 fault fixture (test/fixtures/v2-faults-server.mjs)
// with its log of what it saw, and HTTP servers that come back on the same port after a SIGKILL.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PUBLISHED_SERVERS, type PublishedServer } from './published-servers.js';
import { EVERYTHING, type HttpServerProcess } from './servers.js';

const here = dirname(fileURLToPath(import.meta.url));
const BIND_LOOPBACK = join(here, '..', 'fixtures', 'bind-loopback.mjs');

/** The SDK v2 fault fixture: both eras, echo / hang / sleep, and a log of every method it received. */
export const V2_FAULTS = join(here, '..', 'fixtures', 'v2-faults-server.mjs');

/** The MCP revision a server config asks for (the server-config field `protocol`). */
export type Protocol = 'auto' | '2026-07-28' | '2025-11-25';

/** One line of the fixture's log: the process that wrote it and what it saw. */
export interface LogLine {
  readonly pid: number;
  /** `start`, a JSON-RPC method (`server/discover`, `initialize`, `tools/call`…) or `cancelled <tool>`. */
  readonly word: string;
}

/** A temporary log file for the fixture; `remove()` deletes it. */
export interface FixtureLog {
  readonly file: string;
  lines(): Promise<LogLine[]>;
  /** The words the process `pid` logged, in order. */
  of(pid: number): Promise<string[]>;
  /** The pids that started, in order. */
  starts(): Promise<number[]>;
  remove(): Promise<void>;
}

/** Creates an empty log in a fresh 0700 temporary folder. */
export async function fixtureLog(): Promise<FixtureLog> {
  const dir = await mkdtemp(join(tmpdir(), 'v2-faults-'));
  const file = join(dir, 'log');
  const lines = async (): Promise<LogLine[]> => {
    const text = await readFile(file, 'utf8').catch(() => '');
    return text
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => {
        const space = l.indexOf(' ');
        return { pid: Number(l.slice(0, space)), word: l.slice(space + 1) };
      });
  };
  return {
    file,
    lines,
    of: async (pid) => (await lines()).filter((l) => l.pid === pid).map((l) => l.word),
    starts: async () => (await lines()).filter((l) => l.word === 'start').map((l) => l.pid),
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

/** A stdio config for the fault fixture at `protocol`, logging to `log`; quick restarts, no health checks. */
export function v2FaultsStdio(name: string, protocol: Protocol, log: FixtureLog, extra: Record<string, unknown> = {}) {
  return {
    name,
    transport: 'stdio' as const,
    command: process.execPath,
    args: [V2_FAULTS],
    env: { V2_FAULTS_LOG: log.file },
    protocol,
    backoff: { initialDelayMs: 50, maxDelayMs: 200 },
    health: { intervalMs: 0 },
    ...extra,
  };
}

function lineOf(stream: NodeJS.ReadableStream, pattern: RegExp, exited: Promise<unknown>): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const onData = (chunk: Buffer): void => {
      seen = (seen + chunk.toString('utf8')).slice(-4096);
      const m = seen.match(pattern);
      if (m === null) return;
      stream.off('data', onData);
      stream.resume();
      resolve(m);
    };
    stream.on('data', onData);
    void exited.then(() => reject(new Error(`server exited before listening: ${seen.slice(0, 500)}`)));
  });
}

/** An HTTP server that can be SIGKILLed and started again on the same port. */
export interface RestartableHttp extends HttpServerProcess {
  readonly port: number;
  /** Starts the same server again on the same port (after `stop()`). */
  again(): Promise<RestartableHttp>;
}

async function startRestartable(
  start: (port: number) => ReturnType<typeof spawn>,
  pattern: RegExp,
  stream: 'stdout' | 'stderr',
  url: (port: number) => string,
  port = 0,
): Promise<RestartableHttp> {
  const child = start(port);
  const exited = new Promise((resolve) => child.once('exit', resolve));
  (stream === 'stdout' ? child.stderr : child.stdout)?.resume();
  const m = await lineOf(child[stream]!, pattern, exited);
  const bound = Number(m[1]);
  return {
    url: url(bound),
    port: bound,
    child,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
    again: () => startRestartable(start, pattern, stream, url, bound),
  };
}

/** Starts the fault fixture over stateless Streamable HTTP on 127.0.0.1, logging to `log`. */
export function startV2FaultsHttp(log: FixtureLog): Promise<RestartableHttp> {
  return startRestartable(
    (port) =>
      spawn(process.execPath, [V2_FAULTS, '--http'], {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { PATH: process.env.PATH ?? '', V2_FAULTS_LOG: log.file, V2_FAULTS_PORT: String(port) },
      }),
    /http:\/\/127\.0\.0\.1:(\d+)\/mcp/,
    'stdout',
    (port) => `http://127.0.0.1:${port}/mcp`,
  );
}

/**
 * The servers of the era matrix: the three published SDK v2 servers (published-servers.ts: measured,
 * none answers server/discover yet) and the 2025-era server-everything (SDK v1), each with the
 * arguments that make it serve stdio (HTTP is its default, on PORT, path /mcp).
 */
export const ERA_MATRIX: readonly Pick<PublishedServer, 'name' | 'entry' | 'stdioArgs' | 'httpTools'>[] = [
  ...PUBLISHED_SERVERS,
  { name: 'everything', entry: EVERYTHING, stdioArgs: ['stdio'], httpTools: ['echo'] },
];

/** Starts one of {@link ERA_MATRIX} over Streamable HTTP on a loopback port (bind-loopback.mjs reports it). */
export function startMatrixHttp(server: (typeof ERA_MATRIX)[number]): Promise<RestartableHttp> {
  const args = server.entry === EVERYTHING ? ['streamableHttp'] : [];
  return startRestartable(
    (port) =>
      spawn(process.execPath, ['--import', BIND_LOOPBACK, server.entry, ...args], {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { PATH: process.env.PATH ?? '', PORT: String(port) },
      }),
    /LOOPBACK_PORT=(\d+)/,
    'stderr',
    (port) => `http://127.0.0.1:${port}/mcp`,
  );
}

/**
 * The era a ready server speaks, from `getServerInfo()` / `server:ready`. The facade's `era` field
 * comes with the surface work (h/surface); read through a cast so this file compiles before it lands.
 */
export function eraOf(info: object | undefined): string | undefined {
  return (info as { era?: string } | undefined)?.era;
}
