// pnpm bench:gateway — a client through the gateway (Streamable HTTP in, stdio upstream: `umcp serve`
// in its own process) against the same client talking Streamable HTTP straight to an upstream
// server (the fixture's echo, in its own process). Throughput at 32 in flight, p50 latency at 1;
// rounds interleaved, the median round reported. Not a test: it asserts nothing.
//   BENCH_CALLS=2000 BENCH_ROUNDS=3 pnpm bench:gateway
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

process.removeAllListeners('warning'); // the SDK's HTTP transport warns of abort listeners per call
const here = dirname(fileURLToPath(import.meta.url));
const FIXTURE = join(here, '..', 'test', 'fixtures', 'fixture-server.mjs');
const UMCP = join(here, '..', 'packages', 'cli', 'bin', 'umcp.js');
const CALLS = Number(process.env.BENCH_CALLS ?? 2000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

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

async function connect(url, token) {
  const client = new Client({ name: 'bench', version: '0' });
  const headers = token === undefined ? {} : { authorization: `Bearer ${token}` };
  await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } }));
  return client;
}

async function measure(client, tool, inFlight) {
  const latencies = [];
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < CALLS) {
        next += 1;
        const s = performance.now();
        await client.callTool({ name: tool, arguments: { text: 'x' } });
        latencies.push(performance.now() - s);
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  return { rate: CALLS / seconds, p50: latencies[Math.floor(latencies.length / 2)] };
}

const dir = mkdtempSync(join(tmpdir(), 'bench-gateway-'));
const config = join(dir, 'mcp.json');
writeFileSync(config, JSON.stringify({ mcpServers: { up: { command: process.execPath, args: [FIXTURE, 'stdio'] } } }));
const direct = await start([FIXTURE, 'http', '0'], 'stdout', /listening (\S+)/);
const served = /serve: (\S+) \(token: ([^)]+)\)/;
const gateway = await start([UMCP, 'serve', '--config', config, '--http', '127.0.0.1:0'], 'stderr', served);
const straight = await connect(direct.match[1]);
const through = await connect(gateway.match[1], gateway.match[2]);
for (const c of [straight, through])
  for (let i = 0; i < 200; i += 1) await c.callTool({ name: 'echo', arguments: { text: 'w' } });

const rounds = { straight32: [], through32: [], straight1: [], through1: [] };
for (let r = 0; r < ROUNDS; r += 1) {
  rounds.straight32.push(await measure(straight, 'echo', 32));
  rounds.through32.push(await measure(through, 'echo', 32));
  rounds.straight1.push(await measure(straight, 'echo', 1));
  rounds.through1.push(await measure(through, 'echo', 1));
}
const median = (list, key) => list.map((x) => x[key]).sort((a, b) => a - b)[Math.floor(list.length / 2)];
const s32 = median(rounds.straight32, 'rate');
const g32 = median(rounds.through32, 'rate');
const s1 = median(rounds.straight1, 'p50');
const g1 = median(rounds.through1, 'p50');
console.log(`gateway bench: ${CALLS} calls × ${ROUNDS} rounds, echo tool`);
console.log(
  `  32 in flight: straight ${s32.toFixed(0)} calls/s, through the gateway ${g32.toFixed(0)} calls/s ` +
    `= ${(g32 / s32).toFixed(2)}× (target ≥ 0.8×)`,
);
console.log(
  `  1 in flight, p50: straight ${s1.toFixed(3)} ms, through the gateway ${g1.toFixed(3)} ms ` +
    `= +${(g1 - s1).toFixed(3)} ms (target ≤ +0.3 ms)`,
);
await straight.close();
await through.close();
direct.child.kill();
gateway.child.kill('SIGTERM');
rmSync(dir, { recursive: true, force: true });
