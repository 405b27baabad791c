// pnpm bench:gateway — an SDK v2 client through the gateway (`umcp serve` in its own process:
// Streamable HTTP in, the v2 echo server on stdio as its upstream) against the same client talking
// Streamable HTTP straight to the v2 echo server (its own process, both eras on one endpoint). Once
// with the client pinned to 2026-07-28, once pinned to 2025-11-25. Throughput at 32 in flight, p50
// latency at 1; rounds interleaved, the median round reported, against the targets. A client
// that cannot connect or call (a gateway without a 2026 face answers HTTP 400) prints
// "n/a (<error>)" for its rows and the bench carries on. Not a test: it asserts nothing.
//   BENCH_CALLS=2000 BENCH_ROUNDS=3 pnpm bench:gateway
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LEGACY, MODERN, connectSdkV2 } from './clients.mjs';

process.removeAllListeners('warning'); // the SDK's HTTP transport warns of abort listeners per call
const here = dirname(fileURLToPath(import.meta.url));
const ECHO = join(here, 'echo-server-v2.mjs');
const UMCP = join(here, '..', 'packages', 'cli', 'bin', 'umcp.js');
const CALLS = Number(process.env.BENCH_CALLS ?? 2000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
/** The targets: through the gateway at least this share of direct throughput at 32 in flight… */
const TARGET_RATIO = 0.85;
/** …and at most this many ms added to the p50 at 1 in flight. */
const TARGET_ADDED_MS = 0.3;
/** How long a client gets to connect and warm up before its rows are n/a. */
const CONNECT_MS = 20_000;

/** A child process and the first stream line matching `pattern`. */
function start(args, stream, pattern) {
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let seen = '';
    child[stream].on('data', (d) => {
      seen += d.toString();
      const m = pattern.exec(seen);
      if (m) resolve({ child, match: m });
    });
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited ${code}: ${seen}`)));
  });
}

/** `promise`, or a rejection after `ms` (the timer is cleared either way). */
function within(promise, ms, what) {
  let timer;
  const late = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/** A v2 client pinned to `era`, connected to `url` and warmed up (200 calls). */
async function connect(url, era, token) {
  const headers = token === undefined ? {} : { authorization: `Bearer ${token}` };
  const mode = era === MODERN ? { pin: MODERN } : 'legacy';
  const client = await connectSdkV2({ transport: 'streamable_http', url }, mode, headers);
  try {
    for (let i = 0; i < 200; i += 1) await client.callTool({ name: 'echo', arguments: { text: 'w' } });
  } catch (err) {
    await client.close();
    throw err;
  }
  return client;
}

async function measure(client, inFlight) {
  const latencies = [];
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < CALLS) {
        next += 1;
        const s = performance.now();
        await client.callTool({ name: 'echo', arguments: { text: 'x' } });
        latencies.push(performance.now() - s);
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  return { rate: CALLS / seconds, p50: latencies[Math.floor(latencies.length / 2)] };
}

const median = (list, key) => list.map((x) => x[key]).sort((a, b) => a - b)[Math.floor(list.length / 2)];
const verdict = (met) => (met ? 'met' : 'MISSED');
const why = (err) =>
  String(err?.message ?? err)
    .split('\n')[0]
    .slice(0, 160);

/** Both clients of one era, measured in interleaved rounds; the lines to print. */
async function bench(era, directUrl, gatewayUrl, token) {
  let straight;
  let through;
  try {
    straight = await within(connect(directUrl, era), CONNECT_MS, 'direct');
  } catch (err) {
    return [`  ${era} client: n/a (direct: ${why(err)})`];
  }
  try {
    through = await within(connect(gatewayUrl, era, token), CONNECT_MS, 'through the gateway');
  } catch (err) {
    await straight.close();
    return [`  ${era} client: n/a (through the gateway: ${why(err)})`];
  }
  try {
    const rounds = { straight32: [], through32: [], straight1: [], through1: [] };
    for (let r = 0; r < ROUNDS; r += 1) {
      rounds.straight32.push(await measure(straight, 32));
      rounds.through32.push(await measure(through, 32));
      rounds.straight1.push(await measure(straight, 1));
      rounds.through1.push(await measure(through, 1));
    }
    const s32 = median(rounds.straight32, 'rate');
    const g32 = median(rounds.through32, 'rate');
    const s1 = median(rounds.straight1, 'p50');
    const g1 = median(rounds.through1, 'p50');
    return [
      `  ${era} client:`,
      `    32 in flight: direct ${s32.toFixed(0)} calls/s, through the gateway ${g32.toFixed(0)} calls/s ` +
        `= ${(g32 / s32).toFixed(2)}× (target ≥ ${TARGET_RATIO}×: ${verdict(g32 / s32 >= TARGET_RATIO)})`,
      `    1 in flight, p50: direct ${s1.toFixed(3)} ms, through the gateway ${g1.toFixed(3)} ms ` +
        `= +${(g1 - s1).toFixed(3)} ms (target ≤ +${TARGET_ADDED_MS} ms: ${verdict(g1 - s1 <= TARGET_ADDED_MS)})`,
    ];
  } catch (err) {
    return [`  ${era} client: n/a (${why(err)})`];
  } finally {
    await straight.close();
    await through.close();
  }
}

const dir = mkdtempSync(join(tmpdir(), 'bench-gateway-'));
const config = join(dir, 'mcp.json');
writeFileSync(config, JSON.stringify({ mcpServers: { up: { command: process.execPath, args: [ECHO, 'stdio'] } } }), {
  mode: 0o600,
});
const direct = await start([ECHO, 'http'], 'stdout', /listening (\S+)/);
const served = /serve: (\S+) \(token: ([^)]+)\)/;
const gateway = await start([UMCP, 'serve', '--config', config, '--http', '127.0.0.1:0'], 'stderr', served);
try {
  const lines = [];
  for (const era of [MODERN, LEGACY])
    lines.push(...(await bench(era, direct.match[1], gateway.match[1], gateway.match[2])));
  console.log(`gateway bench: ${CALLS} calls × ${ROUNDS} rounds, echo tool, upstream the SDK v2 echo server`);
  console.log(lines.join('\n'));
} finally {
  direct.child.kill();
  gateway.child.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
}
