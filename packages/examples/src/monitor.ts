// Monitoring by subscription: every lifecycle and call event as one NDJSON line on stdout, and
// pino logs (one child per server) on stderr. Runs a short scripted session, then exits.
import { pino } from 'pino';
import { UniversalMcpClient, type UniversalMcpEventName } from '@universal-mcp/supervisor';
import { exampleServerPath } from './spawn-example-server.js';

const logger = pino({ level: process.env.LOG_LEVEL ?? 'warn' }, pino.destination(2));
const client = new UniversalMcpClient({
  logger,
  defaults: { backoff: { initialDelayMs: 200 }, health: { intervalMs: 5000 } },
});

const events: UniversalMcpEventName[] = [
  'server:state',
  'server:ready',
  'server:restarting',
  'server:given-up',
  'server:removed',
  'tools:changed',
  'call:start',
  'call:end',
  'server:stderr',
];
for (const name of events) {
  client.on(name, (payload: object) => {
    const p = payload as Record<string, unknown>;
    // Errors and tool lists are summarised: a monitoring line stays one short line.
    const line = {
      t: new Date().toISOString(),
      event: name,
      ...p,
      ...(p.error instanceof Error
        ? { error: { code: (p.error as { code?: string }).code, message: p.error.message } }
        : {}),
      ...(Array.isArray(p.tools) ? { tools: p.tools.length } : {}),
    };
    process.stdout.write(JSON.stringify(line) + '\n');
  });
}

const notes = await client.addServer({
  name: 'notes',
  transport: 'stdio',
  command: process.execPath,
  args: [exampleServerPath('notes-server'), 'stdio'],
});
await client.callTool('notes', 'add_note', { title: 'watch me', body: 'monitoring example' });
if (notes.pid !== undefined) process.kill(notes.pid, 'SIGTERM');
await new Promise<void>((resolve) => client.once('server:ready', () => resolve()));
await client.callTool('notes', 'list_notes');
await client.close();
