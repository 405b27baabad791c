// pnpm bench: calls/s, p50/p99 latency and client CPU per call through UniversalMcpClient, through bare
// SDK Clients (v2, `@modelcontextprotocol/client`, the bare-SDK column; v1 beside it) and through the
// hand-written floor (floor-client.mjs), on one server with a trivial echo tool, over stdio and
// Streamable HTTP, 1 and 32 in flight, in each protocol era:
// - 2026: the v2 echo server (echo-server-v2.mjs); SDK v2 pinned to 2026-07-28, the facade with
//   protocol '2026-07-28', the floor's 2026 wire (no handshake, `_meta` envelope, Mcp-* headers). SDK v1
//   has no 2026 era: its row is the 2025 wire on the same server, for reference.
// - 2025: the v1 echo server (echo-server.mjs) by default, or the v2 one; SDK v2 in 'legacy' mode, the
//   facade with protocol '2025-11-25', the floor's initialize-then-call wire.
// Each row says which era the server saw the client open with (the v2 server's ECHO_LOG). Every subject
// runs in this one process, rounds interleaved (the order rotates), the median round reported; ratios
// within one run are what counts. The server's CPU per call is reported too (Linux: its /proc entry):
// when a server uses a whole core, it, not the client, sets the pace. Not a test: it asserts nothing.
//   BENCH_CALLS=20000 BENCH_ROUNDS=5 BENCH_TRANSPORTS=stdio,streamable_http BENCH_ERAS=2025,2026 pnpm bench
// BENCH_ERAS entries are `2025`, `2026`, or with the server named: `2025:v1` (the default), `2025:v2`,
// `2026:v2` (the default; a v1 server has no 2026 era).
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UniversalMcpClient } from '@universal-mcp/supervisor';
import { LEGACY, MODERN, OpeningLog, connectSdkV1, connectSdkV2, facadeConfig, offEra } from './clients.mjs';
import { floorHttp, floorStdio } from './floor-client.mjs';

// The bare SDK's HTTP transport piles abort listeners onto one signal and Node prints a
// MaxListenersExceededWarning for each: thousands of lines. Count warnings by subject instead.
process.removeAllListeners('warning');
const warnings = { sdk2: 0, sdk1: 0, facade: 0, floor: 0, other: 0 };
let measuring = 'other';
process.on('warning', (w) => {
  warnings[measuring] += 1;
  if (measuring === 'other') console.error(`warning: ${w.name}: ${w.message}`);
});

const here = dirname(fileURLToPath(import.meta.url));
const SERVERS = { v1: join(here, 'echo-server.mjs'), v2: join(here, 'echo-server-v2.mjs') };
const CALLS = Number(process.env.BENCH_CALLS ?? 20000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const WARMUP = 500;
const TRANSPORTS = (process.env.BENCH_TRANSPORTS ?? 'stdio,streamable_http').split(',');
const ERAS = (process.env.BENCH_ERAS ?? '2025,2026').split(',').map((spec) => {
  const [year, server = year === '2026' ? 'v2' : 'v1'] = spec.split(':');
  const era = { 2025: LEGACY, 2026: MODERN }[year];
  if (era === undefined || SERVERS[server] === undefined || (era === MODERN && server === 'v1')) {
    throw new Error(`BENCH_ERAS: "${spec}" is not one of 2025, 2025:v1, 2025:v2, 2026, 2026:v2`);
  }
  return { era, server };
});

const log = new OpeningLog();
process.env.ECHO_LOG = log.path; // the floor's children and the HTTP servers inherit it
const ENV = { ECHO_LOG: log.path }; // the SDKs and the facade add it to their minimal environment

function startHttpServer(path) {
  const child = spawn(process.execPath, [path, 'http'], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve) => {
    child.stdout.once('data', (d) => resolve({ url: /listening (\S+)/.exec(d.toString())[1], child }));
  });
}
const httpServers = {};

/** Where the subjects of one scenario connect: a command line or a URL. */
function targetOf(transport, server) {
  if (transport === 'stdio')
    return { transport, command: process.execPath, args: [SERVERS[server], 'stdio'], env: ENV };
  return { transport, url: httpServers[server].url };
}

const echo = (client) => (i) => client.callTool({ name: 'echo', arguments: { text: `m${i}` } });

async function bareSdkV2(target, era) {
  const client = await connectSdkV2(target, era === MODERN ? { pin: MODERN } : 'legacy');
  await client.listTools();
  return { call: echo(client), close: () => client.close() };
}

async function bareSdkV1(target) {
  const client = await connectSdkV1(target);
  await client.listTools();
  return { call: echo(client), close: () => client.close() };
}

async function facade(target, era) {
  const client = new UniversalMcpClient();
  await client.addServer(facadeConfig('echo', target, era));
  return { call: (i) => client.callTool('echo', 'echo', { text: `m${i}` }), close: () => client.close() };
}

function floor(target, era) {
  return target.transport === 'stdio' ? floorStdio(target.command, target.args, era) : floorHttp(target.url, era);
}

const SUBJECTS = [
  ['sdk2', 'bare SDK v2 Client', bareSdkV2],
  ['sdk1', 'bare SDK v1 Client', bareSdkV1],
  ['facade', 'UniversalMcpClient', facade],
  ['floor', 'hand-written floor', floor],
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

async function scenario({ era, server }, transport, inFlight) {
  const runs = Object.fromEntries(SUBJECTS.map(([name]) => [name, []]));
  const spoke = {};
  for (let r = 0; r < ROUNDS; r += 1) {
    for (let k = 0; k < SUBJECTS.length; k += 1) {
      const [name, , make] = SUBJECTS[(r + k) % SUBJECTS.length];
      measuring = name;
      const mark = log.mark();
      const subject = await make(targetOf(transport, server), era);
      // The v1 server writes no log: everything that reaches it is 2025.
      spoke[name] = server === 'v1' ? LEGACY : log.since(mark).era;
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
  return Object.fromEntries(Object.entries(runs).map(([name, rs]) => [name, { ...pick(rs), spoke: spoke[name] }]));
}

const fmt = (x) => {
  const rate = `${Math.round(x.rate).toString().padStart(6)}/s`;
  const server = x.serverCpuUs === undefined ? '' : `, server ${Math.round(x.serverCpuUs)}`;
  const latency = `p50 ${x.p50.toFixed(3)} ms  p99 ${x.p99.toFixed(3)} ms`;
  return `${rate}  ${latency}  cpu µs/call: client ${Math.round(x.cpuUs)}${server}`;
};

/** A row's note when its client spoke another era than its table's. */
const offEraNote = (name, x, era) => {
  const why = offEra(name, x.spoke, era);
  return why === '' ? '' : `  [spoke ${x.spoke}: ${why}]`;
};

const TARGET = { stdio: 1.3, streamable_http: 2.0 };
for (const server of new Set(ERAS.map((e) => e.server))) httpServers[server] = await startHttpServer(SERVERS[server]);
console.log(`Node ${process.version}, ${CALLS} calls per round, median of ${ROUNDS} interleaved rounds`);
const summaries = [];
for (const e of ERAS) {
  const title = `${e.era} era, ${e.server === 'v1' ? 'echo-server.mjs (SDK v1)' : 'echo-server-v2.mjs (SDK v2)'}`;
  console.log(`\n== ${title} ==\n`);
  const rows = [];
  for (const transport of TRANSPORTS) {
    for (const inFlight of [1, 32]) {
      const r = await scenario(e, transport, inFlight);
      const row = { transport, inFlight, ratio: r.facade.rate / r.sdk2.rate, floor: r.floor.rate / r.sdk2.rate };
      row.v1 = r.facade.rate / r.sdk1.rate;
      row.p99 = r.facade.p99 / r.sdk2.p99;
      rows.push(row);
      console.log(`${transport}, ${inFlight} in flight`);
      for (const [name, label] of SUBJECTS)
        console.log(`  ${label.padEnd(19)} ${fmt(r[name])}${offEraNote(name, r[name], e.era)}`);
      console.log(
        `  facade / SDK v2     ${row.ratio.toFixed(2)}×  (facade / SDK v1 ${row.v1.toFixed(2)}×, ` +
          `floor / SDK v2 ${row.floor.toFixed(2)}×)\n`,
      );
    }
  }
  summaries.push({ title, rows });
}
for (const { child } of Object.values(httpServers)) child.kill();
log.remove();
console.log('summary (calls/s ÷ bare SDK v2 calls/s; p99 ÷ bare SDK v2 p99, lower is better)');
for (const { title, rows } of summaries) {
  console.log(`  ${title}:`);
  for (const r of rows) {
    const target = TARGET[r.transport];
    console.log(
      `    ${r.transport.padEnd(16)} ${String(r.inFlight).padStart(2)} in flight  facade ${r.ratio.toFixed(2)}× ` +
        `(target ≥ ${target.toFixed(1)} ${r.ratio >= target ? '✓' : '✗'})  floor ${r.floor.toFixed(2)}×  ` +
        `p99 ${r.p99.toFixed(2)}× ${r.p99 <= 1 ? '✓' : '✗'}  facade ÷ SDK v1 ${r.v1.toFixed(2)}×`,
    );
  }
}
console.log(
  `\nprocess warnings while measuring (not printed): bare SDK v2 ${warnings.sdk2}, bare SDK v1 ${warnings.sdk1}, ` +
    `UniversalMcpClient ${warnings.facade}, floor ${warnings.floor}`,
);
