// A conformance server behind the gateway: `node dist/gateway.js [server.js | server-2025.js | tasks-server.mjs]`
// starts that upstream (default server.js: the SDK v2 one serving both eras; server-2025.js: the v1 one,
// 2025-11-25 only; tasks-server.mjs: test/fixtures' Tasks extension server) on stdio under a
// UniversalMcpClient (`protocol: 'auto'`: server/discover, else initialize), serves it through
// createGateway on 127.0.0.1 (a free port, no token: the suite's client sends none; loopback only) and
// prints the URL — what `umcp serve` runs, in one process.
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { createGateway, createRequestRouter } from '@universal-mcp/gateway';
import { UniversalMcpClient } from '@universal-mcp/supervisor';

/** Each upstream's entry, from dist/ (the Tasks fixture is plain JavaScript, not built). */
const UPSTREAMS = new Map([
  ['server.js', ['server.js', '--stdio']],
  ['server-2025.js', ['server-2025.js', '--stdio']],
  ['tasks-server.mjs', ['../../fixtures/tasks-server.mjs']],
]);
const upstream = process.argv[2] ?? 'server.js';
const [entry, ...flags] = UPSTREAMS.get(upstream) ?? [];
if (entry === undefined) {
  process.stderr.write(`usage: gateway.js [${[...UPSTREAMS.keys()].join(' | ')}]\n`);
  process.exit(2);
}

const router = createRequestRouter();
const client = new UniversalMcpClient({
  logger: pino({ level: 'warn' }, pino.destination(2)),
  handlers: router.handlers,
});
await client.addServer({
  name: 'conformance',
  transport: 'stdio',
  command: process.execPath,
  args: [fileURLToPath(new URL(entry, import.meta.url)), ...flags],
  protocol: 'auto',
});
const gateway = createGateway(client, { router });
const listener = await gateway.listen({ port: 0, token: false });
process.stdout.write(`${listener.url.href}\n`);
const stop = async (): Promise<void> => {
  await gateway.close();
  await client.close();
};
process.once('SIGTERM', () => void stop()).once('SIGINT', () => void stop());
