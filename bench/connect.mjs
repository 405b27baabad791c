// pnpm bench, part 2: connecting and holding connections, in both eras. 50 stdio servers (the v2 echo
// server, which serves 2025 and 2026 clients alike) connected in parallel, each also listing its tools,
// as the facade does before it calls a server ready: through bare SDK v1 Clients (2025), bare SDK v2
// Clients in 'legacy' and 'auto' mode, and UniversalMcpClient with protocol '2025-11-25' and 'auto'.
// For each: the time until all are ready, the client's own CPU meanwhile (medians of 5 interleaved
// rounds), the client heap each idle connection holds (after a full GC), and the openings the servers
// saw (ECHO_LOG: `server/discover` probes, `initialize` handshakes). 'auto' ÷ legacy is the price of the
// era probe: the SDK probes a stdio server on a short-lived sibling process, one extra spawn each.
// Then the facade in 'auto' mode restarts every server (`restartServer`) and counts the probes that
// follows: the era verdict is a fact about the server, kept across restarts, so there should be none.
// Last, a 50 MB answer over stdio (the fixture's `big` tool).
// Not a test: it asserts nothing. Run with --expose-gc for the heap figures.
//   BENCH_SERVERS=50 BENCH_ROUNDS=5 node --expose-gc bench/connect.mjs
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UniversalMcpClient } from '@universal-mcp/supervisor';
import {
  FACADE_HAS_PROTOCOL,
  LEGACY,
  MODERN,
  OpeningLog,
  connectSdkV1,
  connectSdkV2,
  facadeConfig,
  offEra,
} from './clients.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const ECHO = join(here, 'echo-server-v2.mjs');
const FIXTURE = join(here, '..', 'test', 'fixtures', 'fixture-server.mjs');
const SERVERS = Number(process.env.BENCH_SERVERS ?? 50);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const log = new OpeningLog();
const TARGET = { transport: 'stdio', command: process.execPath, args: [ECHO, 'stdio'], env: { ECHO_LOG: log.path } };

const gc = globalThis.gc;
const heap = () => {
  gc?.();
  gc?.();
  return process.memoryUsage().heapUsed;
};

async function sdkFleet(connect) {
  const clients = await Promise.all(
    Array.from({ length: SERVERS }, async () => {
      const client = await connect(TARGET);
      await client.listTools();
      return client;
    }),
  );
  return { close: () => Promise.all(clients.map((c) => c.close())) };
}

async function facadeFleet(protocol) {
  const client = new UniversalMcpClient({ defaults: { health: { intervalMs: 0 } } });
  await Promise.all(
    Array.from({ length: SERVERS }, (_, i) => client.addServer(facadeConfig(`echo${i}`, TARGET, protocol))),
  );
  return { client, close: () => client.close() };
}

// [key, label, the era it should open, make]
const FLEETS = [
  ['sdk1', 'bare SDK v1 Clients', LEGACY, () => sdkFleet(connectSdkV1)],
  ['sdk2', "bare SDK v2 Clients, 'legacy'", LEGACY, () => sdkFleet((t) => connectSdkV2(t, 'legacy'))],
  ['sdk2auto', "bare SDK v2 Clients, 'auto'", MODERN, () => sdkFleet((t) => connectSdkV2(t, 'auto'))],
  ['facade', "UniversalMcpClient, '2025-11-25'", LEGACY, () => facadeFleet(LEGACY)],
  ['facadeAuto', "UniversalMcpClient, 'auto'", MODERN, () => facadeFleet('auto')],
];

async function measure(make) {
  const before = heap();
  const mark = log.mark();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const fleet = await make();
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const perConnection = (heap() - before) / SERVERS / 1024 / 1024;
  const openings = log.since(mark);
  await fleet.close();
  return { ms, cpuMs: (cpu.user + cpu.system) / 1000, perConnection, openings };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const runs = Object.fromEntries(FLEETS.map(([key]) => [key, []]));
for (let r = 0; r < ROUNDS; r += 1) {
  for (let k = 0; k < FLEETS.length; k += 1) {
    const [key, , , make] = FLEETS[(r + k) % FLEETS.length];
    runs[key].push(await measure(make));
  }
}
const ms = (key) => median(runs[key].map((x) => x.ms));
const mb = (x) => `${x.toFixed(3)} MB`;
console.log(`${SERVERS} stdio servers (echo-server-v2.mjs) connected in parallel (median of ${ROUNDS} rounds)`);
for (const [key, label, era] of FLEETS) {
  const cpu = Math.round(median(runs[key].map((x) => x.cpuMs)));
  const heapFigure =
    gc === undefined ? '' : `  heap ${mb(median(runs[key].map((x) => x.perConnection)))}/idle connection`;
  const { discover, initialize, era: spoke } = runs[key][0].openings;
  const why = offEra(key.startsWith('facade') ? 'facade' : key, spoke, era);
  console.log(
    `  ${label.padEnd(34)} ${String(Math.round(ms(key))).padStart(6)} ms  (client CPU ${cpu} ms)${heapFigure}  ` +
      `[servers saw ${discover} server/discover, ${initialize} initialize → ${spoke}${why === '' ? '' : `: ${why}`}]`,
  );
}
if (gc === undefined) console.log('  heap per idle connection: run with --expose-gc');
const ratio = (a, b) => `${(ms(a) / ms(b)).toFixed(2)}×`;
console.log(
  `  'auto' ÷ legacy time (the era probe): SDK v2 ${ratio('sdk2auto', 'sdk2')}, ` +
    `facade ${ratio('facadeAuto', 'facade')}`,
);
console.log(
  `  facade ÷ SDK v2 time: legacy ${ratio('facade', 'sdk2')}, 'auto' ${ratio('facadeAuto', 'sdk2auto')} ` +
    `(target ≤ 1.0); facade ÷ SDK v1 (2025) ${ratio('facade', 'sdk1')}`,
);
if (gc !== undefined) {
  const perEra = (key) => mb(median(runs[key].map((x) => x.perConnection)));
  console.log(
    `  client heap per idle connection (target ≤ 0.1 MB): 2025 era facade ${perEra('facade')}, ` +
      `SDK v2 ${perEra('sdk2')}, SDK v1 ${perEra('sdk1')}; ` +
      `2026 era ('auto') facade ${perEra('facadeAuto')}, SDK v2 ${perEra('sdk2auto')}`,
  );
}

// A restart of every server in 'auto' mode: the era verdict should survive it (no server/discover).
{
  const { client, close } = await facadeFleet('auto');
  const restarted = new Set();
  let allReady;
  const done = new Promise((resolve) => (allReady = resolve));
  client.on('server:ready', ({ server, attempt }) => {
    if (attempt > 1) restarted.add(server);
    if (restarted.size === SERVERS) allReady();
  });
  const mark = log.mark();
  const t0 = performance.now();
  for (let i = 0; i < SERVERS; i += 1) client.restartServer(`echo${i}`);
  let timer;
  const late = new Promise((resolve) => (timer = setTimeout(resolve, 120_000, 'late')));
  const outcome = await Promise.race([done, late]);
  clearTimeout(timer);
  const took = performance.now() - t0;
  if (outcome === 'late') console.log(`restart: only ${restarted.size} of ${SERVERS} servers ready again after 120 s`);
  const { discover, initialize } = log.since(mark);
  await close();
  const note = FACADE_HAS_PROTOCOL ? '' : '; the facade has no `protocol` field yet, so it never probes';
  console.log(
    `restart of ${SERVERS} servers, UniversalMcpClient 'auto': ${Math.round(took)} ms; the servers saw ` +
      `${discover} server/discover (target 0: the era is kept across restarts), ${initialize} initialize${note}`,
  );
}
log.remove();

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
