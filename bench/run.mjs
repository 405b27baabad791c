// pnpm bench: calls/s, p50/p99 latency and client CPU per call through UniversalMcpClient, through a
// bare SDK Client and through the hand-written floor (floor-client.mjs), on the same server: the SDK's
// McpServer with a trivial echo tool (echo-server.mjs), over stdio and Streamable HTTP, 1 and 32 in
// flight. Every subject runs in this one process, rounds interleaved (the order rotates), the median
// round reported; ratios within one run are what counts. The server's CPU per call is reported too
// (Linux: its /proc entry): when a server uses a whole core, it, not the client, sets the pace.
// Not a test: it asserts nothing.
//   BENCH_CALLS=20000 BENCH_ROUNDS=5 BENCH_TRANSPORTS=stdio,streamable_http pnpm bench
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { UniversalMcpClient } from '@universal-mcp/supervisor';
import { floorHttp, floorStdio } from './floor-client.mjs';

// The bare SDK's HTTP transport piles abort listeners onto one signal and Node prints a
// MaxListenersExceededWarning for each: thousands of lines. Count warnings by subject instead.
process.removeAllListeners('warning');
const warnings = { sdk: 0, facade: 0, floor: 0, other: 0 };
let measuring = 'other';
process.on('warning', (w) => {
  warnings[measuring] += 1;
  if (measuring === 'other') console.error(`warning: ${w.name}: ${w.message}`);
});

const here = dirname(fileURLToPath(import.meta.url));
const ECHO = join(here, 'echo-server.mjs');
const CALLS = Number(process.env.BENCH_CALLS ?? 20000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const WARMUP = 500;

function startHttpServer() {
  const child = spawn(process.execPath, [ECHO, 'http'], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve) => {
    child.stdout.once('data', (d) => resolve({ url: /listening (\S+)/.exec(d.toString())[1], child }));
  });
}

async function bareSdk(transport, url) {
  const client = new Client({ name: 'bench', version: '0' });
  const t =
    transport === 'stdio'
      ? new StdioClientTransport({ command: process.execPath, args: [ECHO, 'stdio'], stderr: 'ignore' })
      : new StreamableHTTPClientTransport(new URL(url));
  await client.connect(t);
  await client.listTools();
  return { call: (i) => client.callTool({ name: 'echo', arguments: { text: `m${i}` } }), close: () => client.close() };
}

async function facade(transport, url) {
  const client = new UniversalMcpClient();
  const config =
    transport === 'stdio'
      ? { name: 'echo', transport: 'stdio', command: process.execPath, args: [ECHO, 'stdio'] }
      : { name: 'echo', transport: 'streamable_http', url };
  await client.addServer(config);
  return { call: (i) => client.callTool('echo', 'echo', { text: `m${i}` }), close: () => client.close() };
}

function floor(transport, url) {
  return transport === 'stdio' ? floorStdio(process.execPath, [ECHO, 'stdio']) : floorHttp(url);
}

const SUBJECTS = [
  ['sdk', bareSdk],
  ['facade', facade],
  ['floor', floor],
];

/** CPU time (µs) used so far by this process's children (the servers), from /proc; undefined elsewhere. */
function childrenCpuUs() {
  if (!existsSync('/proc/self/stat')) return undefined;
  let ticks = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // gone meanwhile
    }
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(fields[1]) === process.pid) ticks += Number(fields[11]) + Number(fields[12]); // utime + stime
  }
  return ticks * 10_000; // USER_HZ is 100 on Linux
}

async function load(subject, total, inFlight) {
  const latencies = new Float64Array(total);
  let next = 0;
  const server0 = childrenCpuUs();
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
  const server1 = childrenCpuUs();
  latencies.sort();
  return {
    rate: (total / elapsed) * 1000,
    p50: latencies[Math.floor(total * 0.5)],
    p99: latencies[Math.floor(total * 0.99)],
    cpuUs: (cpu.user + cpu.system) / total,
    serverCpuUs: server0 === undefined ? undefined : (server1 - server0) / total,
  };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function scenario(transport, inFlight, url) {
  const runs = Object.fromEntries(SUBJECTS.map(([name]) => [name, []]));
  for (let r = 0; r < ROUNDS; r += 1) {
    for (let k = 0; k < SUBJECTS.length; k += 1) {
      const [name, make] = SUBJECTS[(r + k) % SUBJECTS.length];
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
  return Object.fromEntries(Object.entries(runs).map(([name, rs]) => [name, pick(rs)]));
}

const fmt = (x) => {
  const rate = `${Math.round(x.rate).toString().padStart(6)}/s`;
  const server = x.serverCpuUs === undefined ? '' : `, server ${Math.round(x.serverCpuUs)}`;
  const latency = `p50 ${x.p50.toFixed(3)} ms  p99 ${x.p99.toFixed(3)} ms`;
  return `${rate}  ${latency}  cpu µs/call: client ${Math.round(x.cpuUs)}${server}`;
};

const TARGET = { stdio: 1.3, streamable_http: 2.0 };
const http = await startHttpServer();
console.log(`Node ${process.version}, ${CALLS} calls per round, median of ${ROUNDS} interleaved rounds\n`);
const rows = [];
const TRANSPORTS = (process.env.BENCH_TRANSPORTS ?? 'stdio,streamable_http').split(',');
for (const transport of TRANSPORTS) {
  for (const inFlight of [1, 32]) {
    const r = await scenario(transport, inFlight, http.url);
    const row = { transport, inFlight, ratio: r.facade.rate / r.sdk.rate, floor: r.floor.rate / r.sdk.rate };
    row.p99 = r.facade.p99 / r.sdk.p99;
    rows.push(row);
    console.log(`${transport}, ${inFlight} in flight`);
    console.log(`  bare SDK Client     ${fmt(r.sdk)}`);
    console.log(`  UniversalMcpClient  ${fmt(r.facade)}`);
    console.log(`  hand-written floor  ${fmt(r.floor)}`);
    console.log(`  facade / SDK        ${row.ratio.toFixed(2)}×  (floor / SDK ${row.floor.toFixed(2)}×)\n`);
  }
}
http.child.kill();
console.log('summary (calls/s ÷ bare SDK calls/s; p99 ÷ bare SDK p99, lower is better):');
for (const r of rows) {
  const target = TARGET[r.transport];
  console.log(
    `  ${r.transport.padEnd(16)} ${String(r.inFlight).padStart(2)} in flight  facade ${r.ratio.toFixed(2)}× ` +
      `(target ≥ ${target.toFixed(1)} ${r.ratio >= target ? '✓' : '✗'})  floor ${r.floor.toFixed(2)}×  ` +
      `p99 ${r.p99.toFixed(2)}× ${r.p99 <= 1 ? '✓' : '✗'}`,
  );
}
console.log(
  `\nprocess warnings while measuring (not printed): bare SDK ${warnings.sdk}, ` +
    `UniversalMcpClient ${warnings.facade}, floor ${warnings.floor}`,
);
