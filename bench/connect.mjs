// pnpm bench, part 2: connecting and holding connections. 50 stdio servers (the bench's echo server)
// connected in parallel through UniversalMcpClient and through 50 bare SDK Clients, each also
// listing its tools, as the facade does before it calls a server ready (time until all are; the
// client's own CPU meanwhile; medians of 5 interleaved rounds), the client heap each idle
// connection holds (after a full GC), and a 50 MB answer over stdio (the fixture's `big` tool).
// Not a test: it asserts nothing. Run with --expose-gc for the heap figure.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { UniversalMcpClient } from '@universal-mcp/supervisor';

const here = dirname(fileURLToPath(import.meta.url));
const ECHO = join(here, 'echo-server.mjs');
const FIXTURE = join(here, '..', 'test', 'fixtures', 'fixture-server.mjs');
const SERVERS = Number(process.env.BENCH_SERVERS ?? 50);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

const gc = globalThis.gc;
const heap = () => {
  gc?.();
  gc?.();
  return process.memoryUsage().heapUsed;
};

async function sdkFleet() {
  const clients = Array.from({ length: SERVERS }, () => new Client({ name: 'bench', version: '0' }));
  await Promise.all(
    clients.map(async (c) => {
      await c.connect(new StdioClientTransport({ command: process.execPath, args: [ECHO, 'stdio'], stderr: 'ignore' }));
      await c.listTools();
    }),
  );
  return { close: () => Promise.all(clients.map((c) => c.close())) };
}

async function facadeFleet() {
  const client = new UniversalMcpClient({ defaults: { health: { intervalMs: 0 } } });
  await Promise.all(
    Array.from({ length: SERVERS }, (_, i) =>
      client.addServer({ name: `echo${i}`, transport: 'stdio', command: process.execPath, args: [ECHO, 'stdio'] }),
    ),
  );
  return { close: () => client.close() };
}

async function measure(make) {
  const before = heap();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const fleet = await make();
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const perConnection = (heap() - before) / SERVERS / 1024 / 1024;
  await fleet.close();
  return { ms, cpuMs: (cpu.user + cpu.system) / 1000, perConnection };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const runs = { sdk: [], facade: [] };
for (let r = 0; r < ROUNDS; r += 1) {
  const order = r % 2 === 0 ? ['sdk', 'facade'] : ['facade', 'sdk'];
  for (const name of order) runs[name].push(await measure(name === 'sdk' ? sdkFleet : facadeFleet));
}
const sdkMs = median(runs.sdk.map((x) => x.ms));
const facadeMs = median(runs.facade.map((x) => x.ms));
console.log(`${SERVERS} stdio servers connected in parallel (median of ${ROUNDS} rounds)`);
const cpuOf = (name) => Math.round(median(runs[name].map((x) => x.cpuMs)));
console.log(`  bare SDK Clients    ${Math.round(sdkMs)} ms  (client CPU ${cpuOf('sdk')} ms)`);
console.log(
  `  UniversalMcpClient  ${Math.round(facadeMs)} ms  (client CPU ${cpuOf('facade')} ms; ` +
    `${(facadeMs / sdkMs).toFixed(2)}× the SDK's time; target ≤ 1.0)`,
);
if (gc === undefined) console.log('  heap per idle connection: run with --expose-gc');
else {
  const sdkHeap = median(runs.sdk.map((x) => x.perConnection));
  const facadeHeap = median(runs.facade.map((x) => x.perConnection));
  const mb = (x) => `${x.toFixed(3)} MB`;
  console.log(`  client heap per idle connection: SDK ${mb(sdkHeap)}, facade ${mb(facadeHeap)} (target ≤ 0.1)`);
}

const client = new UniversalMcpClient({ defaults: { health: { intervalMs: 0 } } });
await client.addServer({
  name: 'huge',
  transport: 'stdio',
  command: process.execPath,
  args: [FIXTURE, 'stdio'],
  maxMessageBytes: 64 * 1024 * 1024,
});
const bytes = 50 * 1024 * 1024;
const t0 = performance.now();
const result = await client.callTool('huge', 'big', { bytes }, { timeoutMs: 60_000 });
const took = performance.now() - t0;
const size = result.content[0].text.length;
await client.close();
console.log(
  `a 50 MB answer over stdio: ${Math.round(took)} ms from call to result (${size} characters; target ≤ 1,000 ms)`,
);
