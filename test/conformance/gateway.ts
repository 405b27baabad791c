// The conformance server behind the gateway: `node dist/gateway.js` starts the conformance server
// (server.ts) on stdio under a UniversalMcpClient, serves it through createGateway on
// 127.0.0.1 (a free port, no token: the suite's client sends none; loopback only) and prints the URL.
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { createGateway, createRequestRouter } from '@universal-mcp/gateway';
import { UniversalMcpClient } from '@universal-mcp/supervisor';

const router = createRequestRouter();
const client = new UniversalMcpClient({
  logger: pino({ level: 'warn' }, pino.destination(2)),
  handlers: router.handlers,
});
await client.addServer({
  name: 'conformance',
  transport: 'stdio',
  command: process.execPath,
  args: [fileURLToPath(new URL('server.js', import.meta.url)), '--stdio'],
});
const gateway = createGateway(client, { router });
const listener = await gateway.listen({ port: 0, token: false });
process.stdout.write(`${listener.url.href}\n`);
const stop = async (): Promise<void> => {
  await gateway.close();
  await client.close();
};
process.once('SIGTERM', () => void stop()).once('SIGINT', () => void stop());
