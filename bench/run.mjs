// pnpm bench: calls/s, p50/p99 latency and client CPU per call, through UniversalMcpClient and
// through a bare SDK Client, on the same echo server (the repo's fixture), stdio and Streamable
// HTTP, 1 and 32 in flight. Rounds are interleaved and the median round is reported; ratios
// within one run are what counts. Not a test: it asserts nothing.
//   BENCH_CALLS=3000 BENCH_ROUNDS=5 pnpm bench
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { UniversalMcpClient } from '@universal-mcp/supervisor';

// The bare SDK's HTTP transport piles abort listeners onto one signal and Node prints a
// MaxListenersExceededWarning for each: thousands of lines. Count warnings by subject instead.
process.removeAllListeners('warning');
const warnings = { sdk: 0, facade: 0, other: 0 };
let measuring = 'other';
process.on('warning', (w) => {
  warnings[measuring] += 1;
  if (measuring === 'other') console.error(`warning: ${w.name}: ${w.message}`);
});

const here = dirname(fileURLToPath(import.meta.url));
const FIXTURE = join(here, '..', 'test', 'fixtures', 'fixture-server.mjs');
const CALLS = Number(process.env.BENCH_CALLS ?? 3000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const WARMUP = 200;

function startHttpServer() {
  const child = spawn(process.execPath, [FIXTURE, 'http', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve) => {
    child.stdout.once('data', (d) => resolve({ url: /listening (\S+)/.exec(d.toString())[1], child }));
  });
}

async function bareSdk(transport, url) {
  const client = new Client({ name: 'bench', version: '0' });
  const t =
    transport === 'stdio'
      ? new StdioClientTransport({ command: process.execPath, args: [FIXTURE, 'stdio'], stderr: 'ignore' })
      : new StreamableHTTPClientTransport(new URL(url));
  await client.connect(t);
  await client.listTools();
  return { call: (i) => client.callTool({ name: 'echo', arguments: { text: `m${i}` } }), close: () => client.close() };
}

async function facade(transport, url) {
  const client = new UniversalMcpClient();
  const config =
    transport === 'stdio'
      ? { name: 'echo', transport: 'stdio', command: process.execPath, args: [FIXTURE, 'stdio'] }
      : { name: 'echo', transport: 'streamable_http', url };
  await client.addServer(config);
  return { call: (i) => client.callTool('echo', 'echo', { text: `m${i}` }), close: () => client.close() };
}

async function load(subject, total, inFlight) {
  const latencies = new Float64Array(total);
  let next = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  async function worker() {
    while (next < total) {
      const i = next++;
      const s = performance.now();
      await subject.call(i);
      latencies[i] = performance.now() - s;
    }
  }
  await Promise.all(Array.from({ length: inFlight }, worker));
  const elapsed = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  latencies.sort();
  return {
    rate: (total / elapsed) * 1000,
    p50: latencies[Math.floor(total * 0.5)],
    p99: latencies[Math.floor(total * 0.99)],
    cpuUs: (cpu.user + cpu.system) / total,
  };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function scenario(transport, inFlight, url) {
  const runs = { sdk: [], facade: [] };
  for (let r = 0; r < ROUNDS; r += 1) {
    for (const [name, make] of r % 2 === 0
      ? [
          ['sdk', bareSdk],
          ['facade', facade],
        ]
      : [
          ['facade', facade],
          ['sdk', bareSdk],
        ]) {
      measuring = name;
      const subject = await make(transport, url);
      await load(subject, WARMUP, inFlight);
      runs[name].push(await load(subject, CALLS, inFlight));
      await subject.close();
      measuring = 'other';
    }
  }
  const pick = (rs) => {
    const m = median(rs.map((x) => x.rate));
    return rs.find((x) => x.rate === m);
  };
  return { sdk: pick(runs.sdk), facade: pick(runs.facade) };
}

const fmt = (x) => {
  const rate = `${Math.round(x.rate).toString().padStart(6)}/s`;
  return `${rate}  p50 ${x.p50.toFixed(3)} ms  p99 ${x.p99.toFixed(3)} ms  cpu ${Math.round(x.cpuUs)} µs/call`;
};

const http = await startHttpServer();
console.log(`Node ${process.version}, ${CALLS} calls per round, median of ${ROUNDS} interleaved rounds\n`);
const rows = [];
for (const transport of ['stdio', 'streamable_http']) {
  for (const inFlight of [1, 32]) {
    const { sdk, facade: f } = await scenario(transport, inFlight, http.url);
    const ratio = f.rate / sdk.rate;
    rows.push({ transport, inFlight, ratio });
    console.log(`${transport}, ${inFlight} in flight`);
    console.log(`  bare SDK Client     ${fmt(sdk)}`);
    console.log(`  UniversalMcpClient  ${fmt(f)}`);
    console.log(`  facade / SDK        ${ratio.toFixed(2)}×\n`);
  }
}
http.child.kill();
console.log('summary (facade calls/s ÷ bare SDK calls/s; target ≥ 0.90):');
for (const r of rows)
  console.log(`  ${r.transport.padEnd(16)} ${String(r.inFlight).padStart(2)} in flight  ${r.ratio.toFixed(2)}×`);
console.log(
  `\nprocess warnings while measuring (not printed): bare SDK ${warnings.sdk}, UniversalMcpClient ${warnings.facade}`,
);
