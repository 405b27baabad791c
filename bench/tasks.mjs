// pnpm bench:tasks: 1,000 concurrent tool tasks polled by one UniversalMcpClient (issue 30). The server is the
// Tasks fixture over HTTP (test/fixtures/tasks-server.mjs --max-tasks 2000 --poll-interval-ms 1000, and
// --fast-path: the SDK's stateless handler alone would cost the server ~5 ms of CPU per poll here), each
// long_task {seconds: 5} called with callTool at once, with a file task store. Reported: client CPU and heap per
// task, polls/s against the 1,000/s the server asked for, the smallest gap between two polls of one task as the
// server saw it (must be ≥ pollIntervalMs: PASS/FAIL), task store writes (renames of the file), wall time.
// Not a test: only the poll-gap line says PASS or FAIL.
//   node --expose-gc bench/tasks.mjs        BENCH_TASKS=1000 BENCH_TASK_SECONDS=5
import { spawn } from 'node:child_process';
import { watch } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UniversalMcpClient } from '@universal-mcp/supervisor';

const TASKS = Number(process.env.BENCH_TASKS ?? 1000);
const SECONDS = Number(process.env.BENCH_TASK_SECONDS ?? 5);
const POLL_MS = 1000;
const FIXTURE = join(dirname(fileURLToPath(import.meta.url)), '..', 'test', 'fixtures', 'tasks-server.mjs');
const gc = globalThis.gc ?? (() => undefined);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Starts the fixture over HTTP; resolves with its URL and the child. */
function startFixture() {
  const child = spawn(
    process.execPath,
    [
      FIXTURE,
      '--http',
      '--fast-path',
      '--max-tasks',
      '2000',
      '--poll-interval-ms',
      String(POLL_MS),
      '--ttl-ms',
      '600000',
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  return new Promise((resolve, reject) => {
    let seen = '';
    child.stdout.on('data', (chunk) => {
      seen += chunk;
      const m = /(http:\/\/127\.0\.0\.1:\d+\/mcp)/.exec(seen);
      if (m !== null) resolve({ child, url: m[1] });
    });
    child.once('exit', (code) => reject(new Error(`fixture exited (${code})`)));
  });
}

/** The fixture's poll record summed over its tasks. */
async function serverStats(url) {
  const stats = Object.values(await (await fetch(url.replace(/\/mcp$/, '/stats'))).json());
  const gaps = stats.map((s) => s.minGapMs).filter((g) => g !== null);
  return {
    tasks: stats.length,
    polls: stats.reduce((n, s) => n + s.polls, 0),
    minGapMs: gaps.length > 0 ? Math.min(...gaps) : null,
    completed: stats.filter((s) => s.status === 'completed').length,
  };
}

const fixture = await startFixture();
const dir = await mkdtemp(join(tmpdir(), 'umcp-bench-tasks-'));
let storeWrites = 0;
// Every store write ends in a rename onto tasks.json (temp file + rename): count those.
const watcher = watch(dir, (_event, name) => {
  if (name === 'tasks.json') storeWrites += 1;
});
const client = new UniversalMcpClient({
  tasks: join(dir, 'tasks.json'),
  // 1,000 creates at once wait in the queue (64 in flight): room for them all.
  defaults: { health: { intervalMs: 0 }, queue: { maxQueued: 10_000 } },
});
try {
  await client.addServer({ name: 'tasks', transport: 'streamable_http', url: fixture.url });
  await client.callTool('tasks', 'greet', {}); // warm the request path

  gc();
  const heap0 = process.memoryUsage().heapUsed;
  const writes0 = storeWrites;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const calls = Array.from({ length: TASKS }, () =>
    client.callTool('tasks', 'long_task', { seconds: SECONDS }, { timeoutMs: 30_000 }),
  );
  const settled = Promise.allSettled(calls);
  let done = false;
  void settled.then(() => (done = true));

  // Peak: every task created and being polled. Then two samples of the server's poll count, 2 s apart.
  const live = () => client.tasks({ server: 'tasks' }).filter((s) => s.status === 'working').length;
  while (!done && live() < TASKS) await sleep(50);
  const createdMs = performance.now() - t0;
  gc();
  const heapPeak = process.memoryUsage().heapUsed;
  const a = await serverStats(fixture.url);
  const ta = performance.now();
  await sleep(2000);
  const b = await serverStats(fixture.url);
  const steadyPollsPerS = ((b.polls - a.polls) * 1000) / (performance.now() - ta);

  const results = await settled;
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const failed = results.filter((r) => r.status === 'rejected');
  const end = await serverStats(fixture.url);
  // No task polled twice (a server too slow to create them all within 5 s) proves nothing either way.
  const gap =
    end.minGapMs === null
      ? 'n/a (no task polled twice)'
      : `${end.minGapMs} ms ${end.minGapMs >= POLL_MS ? 'PASS' : 'FAIL'}`;

  const row = (k, v) => console.log(`  ${k.padEnd(38)} ${v}`);
  console.log(
    `${TASKS} concurrent long_task {seconds: ${SECONDS}}, pollIntervalMs ${POLL_MS}, one client, file store ` +
      `(load average ${loadavg()[0].toFixed(1)})`,
  );
  row('tasks completed / failed', `${results.length - failed.length} / ${failed.length}`);
  if (failed.length > 0) row('first failure', `${failed[0].reason?.code} ${failed[0].reason?.message}`);
  row('all created and polled after', `${createdMs.toFixed(0)} ms`);
  row('wall time', `${wallMs.toFixed(0)} ms`);
  row('client CPU per task', `${((cpu.user + cpu.system) / 1000 / TASKS).toFixed(2)} ms`);
  row('client heap per task (at peak)', `${((heapPeak - heap0) / TASKS).toFixed(0)} bytes`);
  row('polls/s, steady (expected)', `${steadyPollsPerS.toFixed(0)} (${(TASKS * 1000) / POLL_MS})`);
  row('polls/s, whole run', `${((end.polls * 1000) / wallMs).toFixed(0)}`);
  row('polls per task, mean (expected ≤)', `${(end.polls / end.tasks).toFixed(2)} (${(SECONDS * 1000) / POLL_MS + 1})`);
  row('smallest poll gap (≥ pollIntervalMs)', gap);
  row('task store writes (tasks.json renames)', `${storeWrites - writes0}`);
  row('server tasks seen / completed', `${end.tasks} / ${end.completed}`);
} finally {
  watcher.close();
  await client.close();
  fixture.child.kill('SIGKILL');
  await rm(dir, { recursive: true, force: true });
}
