// Shared by the tasks-relay tests: the gateway over the Tasks fixture (test/fixtures/tasks-server.mjs, 2026-07-28,
// on stdio under a UniversalMcpClient whose handlers are the gateway's router), listening with the main endpoint
// and a further one (its token is another downstream principal).
import { createGateway, createRequestRouter, type HttpListener } from '@universal-mcp/gateway';
import { UniversalMcpClient } from '@universal-mcp/supervisor';
import { TASKS_FIXTURE } from '../helpers/published-servers.js';
import { opened } from './two-revisions-setup.js';

/** The further endpoint. */
export const OTHER = { name: 'other', path: '/other/mcp', token: 'other-token-0123456789abc' };

/** The gateway over the fixture (polled every 100 ms; `fixture`: the 2025 one instead), listening on a free port. */
export async function tasksGateway(fixture = TASKS_FIXTURE): Promise<HttpListener> {
  const router = createRequestRouter();
  const client = new UniversalMcpClient({ defaults: { health: { intervalMs: 0 } }, handlers: router.handlers });
  opened.push(client);
  await client.addServer({
    name: 'jobs',
    transport: 'stdio',
    command: process.execPath,
    args: [fixture, '--poll-interval-ms', '100'],
  });
  await client.whenReady();
  const gateway = createGateway(client, { router });
  opened.push(gateway);
  return gateway.listen({ port: 0, endpoints: [OTHER] });
}

/** A gateway over an upstream already listening at `url`, its client keeping tasks in `file`; `close` ends both. */
export async function gatewayOver(
  url: string,
  file: string,
  token: string,
): Promise<{ listener: HttpListener; close: () => Promise<void> }> {
  const router = createRequestRouter();
  const client = new UniversalMcpClient({
    defaults: { health: { intervalMs: 0 } },
    handlers: router.handlers,
    tasks: file,
  });
  await client.addServer({ name: 'jobs', transport: 'streamable_http', url });
  await client.whenReady();
  const gateway = createGateway(client, { router });
  const listener = await gateway.listen({ port: 0, token });
  const close = async (): Promise<void> => {
    await gateway.close();
    await client.close();
  };
  opened.push({ close });
  return { listener, close };
}
