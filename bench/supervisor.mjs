// pnpm bench, part 3: what the supervisor costs per call, alone. The server answers in-process (a
// `fetch` in the config that answers each POST at once, no socket, no child), so what is measured is
// the client: a bare SDK Client, our McpSession (core's request path, no supervisor) and
// UniversalMcpClient (the whole facade: telemetry hook, state check, argument validation, queue,
// budget), each on that same fetch, 1 and 32 in flight. "facade − session" is the supervisor's cost
// per call. Rounds interleaved, the median round reported. Not a test: it asserts nothing.
//   BENCH_CALLS=20000 BENCH_ROUNDS=5 node bench/supervisor.mjs
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { UniversalMcpClient } from '@universal-mcp/supervisor';
import { McpSession } from '@universal-mcp/core/internal';

const CALLS = Number(process.env.BENCH_CALLS ?? 20000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const URL_ = 'http://in-process.invalid/mcp';

const TOOLS = [
  {
    name: 'echo',
    inputSchema: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] },
  },
];
const JSON_HEADERS = { 'content-type': 'application/json' };

/** The server: a fetch that answers every JSON-RPC request at once (JSON, not SSE), statelessly. */
function inProcessFetch(_url, init) {
  if (init?.method !== 'POST') return Promise.resolve(new Response(null, { status: 405 }));
  const message = JSON.parse(init.body);
  if (message.id === undefined) return Promise.resolve(new Response(null, { status: 202 }));
  let result;
  switch (message.method) {
    case 'initialize':
      result = {
        protocolVersion: message.params.protocolVersion,
        capabilities: { tools: {} },
        serverInfo: { name: 'in-process', version: '0' },
      };
      break;
    case 'tools/list':
      result = { tools: TOOLS };
      break;
    case 'tools/call':
      result = { content: [{ type: 'text', text: message.params.arguments.text }] };
      break;
    default:
      result = {};
  }
  const body = JSON.stringify({ jsonrpc: '2.0', id: message.id, result });
  return Promise.resolve(new Response(body, { status: 200, headers: JSON_HEADERS }));
}

const config = { name: 'echo', transport: 'streamable_http', url: URL_, fetch: inProcessFetch };

const SUBJECTS = {
  async sdk() {
    const client = new Client({ name: 'bench', version: '0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(URL_), { fetch: inProcessFetch }));
    await client.listTools();
    return {
      call: (i) => client.callTool({ name: 'echo', arguments: { text: `m${i}` } }),
      close: () => client.close(),
    };
  },
  async session() {
    const session = await McpSession.open(config, { timeoutMs: 10_000 });
    await session.listTools({ timeoutMs: 10_000 });
    const options = { timeoutMs: 60_000 };
    return { call: (i) => session.callTool('echo', { text: `m${i}` }, options), close: () => session.close() };
  },
  async facade() {
    const client = new UniversalMcpClient({ defaults: { health: { intervalMs: 0 } } });
    await client.addServer(config);
    return { call: (i) => client.callTool('echo', 'echo', { text: `m${i}` }), close: () => client.close() };
  },
};

async function load(subject, total, inFlight) {
  let next = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  async function worker() {
    while (next < total) await subject.call(next++);
  }
  await Promise.all(Array.from({ length: inFlight }, worker));
  const elapsed = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return { us: (elapsed * 1000) / total, cpuUs: (cpu.user + cpu.system) / total };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const names = Object.keys(SUBJECTS);
console.log(`in-process server (no I/O), ${CALLS} calls per round, median of ${ROUNDS} interleaved rounds`);
for (const inFlight of [1, 32]) {
  const runs = Object.fromEntries(names.map((n) => [n, []]));
  for (let r = 0; r < ROUNDS; r += 1) {
    for (let k = 0; k < names.length; k += 1) {
      const name = names[(r + k) % names.length];
      const subject = await SUBJECTS[name]();
      await load(subject, 2000, inFlight);
      runs[name].push((await load(subject, CALLS, inFlight)).us);
      await subject.close();
    }
  }
  const us = Object.fromEntries(names.map((n) => [n, median(runs[n])]));
  console.log(`\n${inFlight} in flight, µs per call (wall, one process):`);
  for (const n of names) console.log(`  ${n.padEnd(8)} ${us[n].toFixed(2).padStart(7)}`);
  console.log(`  supervisor (facade − session) ${(us.facade - us.session).toFixed(2)} µs per call`);
}
