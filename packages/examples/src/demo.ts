// The story in one run: three servers over three transports, calls, details, a crash the
// supervisor repairs, and a clean close. Everything is offline: the servers are this package's.
import { UniversalMcpClient, isUniversalMcpError, type ServerInfo } from '@universal-mcp/supervisor';
import { exampleServerPath, startHttpExample } from './spawn-example-server.js';

const t0 = performance.now();
const stamp = (): string => `${((performance.now() - t0) / 1000).toFixed(2).padStart(6)}s`;
const say = (line: string): void => console.log(`${stamp()}  ${line}`);
const text = (result: { content: unknown[] }): string =>
  result.content
    .map((c) =>
      (c as { type: string }).type === 'text' ? (c as { text: string }).text : `[${(c as { type: string }).type}]`,
    )
    .join(' ');

const units = await startHttpExample('units-server', 'http');
const archive = await startHttpExample('notes-server', 'sse');

await using client = new UniversalMcpClient({ defaults: { backoff: { initialDelayMs: 500 } } });
/** A server this demo added. */
const info = (name: string): ServerInfo => {
  const found = client.getServerInfo(name);
  if (found === undefined) throw new Error(`no server ${name}`);
  return found;
};
client.on('server:state', (e) => say(`  event  ${e.server}: ${e.from} → ${e.to}${e.reason ? `  (${e.reason})` : ''}`));
client.on('server:restarting', (e) => say(`  event  ${e.server}: restart #${e.attempt} in ${e.delayMs} ms`));
client.on('server:given-up', (e) => say(`  event  ${e.server}: given up: ${e.error.message}`));

say('1. Connecting three servers over three transports');
await Promise.all([
  client.addServer({
    name: 'notes',
    transport: 'stdio',
    command: process.execPath,
    args: [exampleServerPath('notes-server'), 'stdio'],
  }),
  client.addServer({ name: 'units', transport: 'streamable_http', url: units.url }),
  client.addServer({ name: 'archive', transport: 'sse', url: archive.url }),
]);

say(`2. Servers: ${client.listServers().join(', ')}`);
for (const [server, tools] of Object.entries(client.listTools()))
  say(`   ${server.padEnd(8)} ${tools.map((t) => t.name).join(', ')}`);

say('3. Calling tools');
const groceries = await client.callTool('notes', 'add_note', { title: 'Groceries', body: 'milk, eggs' });
say(`   notes.add_note      → ${text(groceries)}`);
say(`   notes.search_notes  → ${text(await client.callTool('notes', 'search_notes', { query: 'milk' }))}`);
say(
  `   units.convert       → ${text(await client.callTool('units', 'convert', { value: 26.2, from: 'mi', to: 'km' }))}`,
);
const kept = await client.callTool('archive', 'add_note', { title: 'Kept over SSE', body: '2024-11-05 protocol' });
say(`   archive.add_note    → ${text(kept)}`);
try {
  await client.callTool('units', 'teleport', {});
} catch (err) {
  if (isUniversalMcpError(err)) say(`   units.teleport      → ${err.code}: ${err.message}`);
}

const before = info('notes');
say('4. Details of "notes"');
const version = `${before.serverVersion?.name}@${before.serverVersion?.version}`;
const tools = before.tools.length;
say(`   state=${before.state} pid=${before.pid} server=${version} tools=${tools} restarts=${before.restarts}`);
const web = info('units');
say(`   "units": state=${web.state} sessionId=${web.sessionId}`);

say(`5. Killing "notes" (pid ${before.pid}) with SIGKILL while a call is in flight`);
const inFlight = client.callTool('notes', 'list_notes').then(
  () => 'answered before the kill',
  (err: unknown) => (isUniversalMcpError(err) ? `${err.code}` : String(err)),
);
const ready = new Promise<void>((resolve) => client.once('server:ready', () => resolve()));
if (before.pid !== undefined) process.kill(before.pid, 'SIGKILL');
say(`   the in-flight call: ${await inFlight}`);
await ready;
const after = info('notes');
say(`   back: state=${after.state} pid=${after.pid} attempt=${after.attempt} restarts=${after.restarts}`);
const listed = await client.callTool('notes', 'list_notes');
say(`   notes.list_notes    → ${text(listed)}   (a fresh process: its memory is new)`);

say('6. Closing');
await client.close();
await Promise.all([units.stop(), archive.stop()]);
say('Done: every server stopped, no process left behind.');
