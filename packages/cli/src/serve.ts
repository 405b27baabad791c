import { StdioServerTransport } from '@modelcontextprotocol/server/stdio';
import { createGateway, createRequestRouter } from '@universal-mcp/gateway';
import { createPrometheusMetrics } from '@universal-mcp/prometheus';
import type { CliArgs } from './cli-args.js';
import { open, settle, tokenFrom, type Io } from './open-servers.js';
import { ExitCode, UsageError } from './exit-codes.js';

/** `--http host:port` as its parts (`[::1]:8930` for IPv6). */
function hostPort(value: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(value);
  const port = Number(m?.[3]);
  if (m === null || !(port >= 0 && port <= 65535))
    throw new UsageError(`--http wants host:port (e.g. 127.0.0.1:8930), got "${value}"`);
  return { host: m[1] ?? m[2] ?? '127.0.0.1', port };
}

/**
 * `umcp serve`: every server of the config behind one MCP endpoint (Streamable HTTP or stdio),
 * until SIGINT/SIGTERM (or, on stdio, until the host closes stdin).
 */
export async function serve(args: CliArgs, io: Io): Promise<number> {
  if ((args.http === undefined) === !args.stdio)
    throw new UsageError('umcp serve wants one of --http <host:port> or --stdio');
  const httpOnly =
    args.tokenEnv !== undefined ||
    args.stateless ||
    args.allowHosts.length > 0 ||
    args.replica !== undefined ||
    Object.keys(args.peers).length > 0;
  if (args.stdio && (httpOnly || args.maxSessions !== undefined))
    throw new UsageError('--token-env, --stateless, --allow-host, --max-sessions, --replica and --peer are for --http');
  if (Object.keys(args.peers).length > 0 && args.replica === undefined)
    throw new UsageError('--peer needs --replica: the peers forward retries to this replica by its name');
  const address = args.http === undefined ? undefined : hostPort(args.http);
  const token = tokenFrom(args);
  // Sampling, elicitation and roots requests of the servers go to the downstream client that caused them.
  const router = createRequestRouter();
  // The client's metrics, served at /metrics beside /mcp (HTTP only).
  const prometheus = address === undefined ? undefined : createPrometheusMetrics();
  const telemetry = prometheus === undefined ? undefined : { meterProvider: prometheus.meterProvider };
  const { client, names, loaded, logger } = await open(args, [], router.handlers, telemetry, true);
  // Further endpoints (own token, own view of the tools) from the config's `endpoints`: HTTP only,
  // a stdio host is one client (the same file may serve both, so they are left out, not refused).
  const endpoints = Object.entries(loaded.endpoints).map(([name, e]) => ({ name, ...e }));
  if (args.stdio && endpoints.length > 0)
    io.err(
      `umcp serve: the config's endpoints (${endpoints.map((e) => e.name).join(', ')}) are served with --http only`,
    );
  const gateway = createGateway(client, { router, revisions: args.revisions, replica: args.replica, logger });
  try {
    await settle(client, names, args.waitMs);
    for (const n of names) {
      const info = client.getServerInfo(n);
      if (info?.state !== 'ready')
        io.err(
          `umcp serve: server "${n}" is not ready yet (${info?.lastError?.message ?? info?.state}); serving the rest`,
        );
    }
    const stopped = new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
      if (args.stdio) process.stdin.once('close', resolve).once('end', resolve);
    });
    if (address !== undefined) {
      const listener = await gateway.listen({
        ...address,
        token,
        stateless: args.stateless,
        allowedHosts: args.allowHosts,
        maxSessions: args.maxSessions,
        maxSseStreams: args.maxSessions,
        metrics: prometheus?.handler,
        peers: args.peers,
        endpoints,
      });
      const shown = token === undefined ? ` (token: ${listener.token})` : '';
      io.err(`umcp serve: ${listener.url.href}${shown}${args.stateless ? ', stateless' : ''}`);
      // An endpoint's token is the config's (never printed): its clients have it already.
      for (const [name, url] of Object.entries(listener.endpoints))
        io.err(`umcp serve: endpoint "${name}" at ${url.href}`);
    } else {
      await gateway.connect(new StdioServerTransport());
    }
    await stopped;
    return ExitCode.OK;
  } finally {
    await gateway.close();
    await client.close();
    await prometheus?.shutdown();
  }
}
