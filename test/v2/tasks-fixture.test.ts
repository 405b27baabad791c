// The Tasks fixture server (test/fixtures/tasks-server.mjs) driven with raw JSON-RPC over fetch: it
// must serve the 2026-07-28 Tasks extension wire exactly, since later client, supervisor and gateway
// tests take it as the upstream. No library code here on purpose.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { node, resultOf, suite } from '../conformance/suite.mjs';
import { startTasksFixtureHttp, type StartedHttpServer } from '../helpers/published-servers.js';

const EXT = 'io.modelcontextprotocol/tasks';
const TERMINAL = ['completed', 'failed', 'cancelled'];

interface RpcReply {
  readonly result?: Record<string, unknown>;
  readonly error?: { code: number; message: string; data?: unknown };
}

const started: StartedHttpServer[] = [];
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((s) => s.stop()));
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function start(...flags: string[]): Promise<StartedHttpServer> {
  const server = await startTasksFixtureHttp(...flags);
  started.push(server);
  return server;
}

let nextId = 0;
/** One 2026-era request; `declare: false` leaves the tasks extension out of the client capabilities. */
async function rpc(url: string, method: string, params: Record<string, unknown>, declare = true): Promise<RpcReply> {
  const name = typeof params['taskId'] === 'string' ? params['taskId'] : params['name'];
  const capabilities = declare ? { extensions: { [EXT]: {} }, elicitation: { form: {} } } : {};
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': '2026-07-28',
      'mcp-method': method,
      ...(typeof name === 'string' ? { 'mcp-name': name } : {}),
    },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: ++nextId,
      method,
      params: {
        ...params,
        _meta: {
          'io.modelcontextprotocol/protocolVersion': '2026-07-28',
          'io.modelcontextprotocol/clientCapabilities': capabilities,
          'io.modelcontextprotocol/clientInfo': { name: 'tasks-fixture-test', version: '1.0.0' },
        },
      },
    }),
  });
  return (await res.json()) as RpcReply;
}

const call = (url: string, name: string, args: Record<string, unknown> = {}, declare = true): Promise<RpcReply> =>
  rpc(url, 'tools/call', { name, arguments: args }, declare);
const get = (url: string, taskId: string): Promise<RpcReply> => rpc(url, 'tasks/get', { taskId });

async function createTask(url: string, name: string, args: Record<string, unknown> = {}): Promise<string> {
  const reply = await call(url, name, args);
  expect(reply.result?.['resultType']).toBe('task');
  return reply.result?.['taskId'] as string;
}

/** Polls until `until` holds, waiting the server's pollIntervalMs between polls; bounded. */
async function pollUntil(url: string, taskId: string, until: (task: Record<string, unknown>) => boolean) {
  for (let i = 0; i < 200; i++) {
    const reply = await get(url, taskId);
    const task = reply.result;
    if (task === undefined) throw new Error(`tasks/get failed: ${JSON.stringify(reply.error)}`);
    if (until(task)) return task;
    await new Promise((r) => setTimeout(r, task['pollIntervalMs'] as number));
  }
  throw new Error(`task ${taskId} never reached the state asked for`);
}
const settled = (url: string, taskId: string) =>
  pollUntil(url, taskId, (t) => TERMINAL.includes(t['status'] as string));

describe('tasks fixture server (2026-07-28 Tasks extension, raw JSON-RPC)', () => {
  it('creates a flat task, and polling at pollIntervalMs reaches completed with the result inlined', async () => {
    const { url } = await start('--poll-interval-ms', '50', '--ttl-ms', '30000');
    const created = await call(url, 'slow_compute', { seconds: 0.3, label: 'pi' });
    const r = created.result!;
    expect(r).toMatchObject({ resultType: 'task', status: 'working', ttlMs: 30000, pollIntervalMs: 50 });
    expect(r).not.toHaveProperty('task');
    for (const banned of ['result', 'error', 'inputRequests', 'requestState', 'ttl', 'pollInterval'])
      expect(r).not.toHaveProperty(banned);
    expect(Number.isNaN(Date.parse(r['createdAt'] as string))).toBe(false);
    const taskId = r['taskId'] as string;
    const done = await settled(url, taskId);
    expect(done).toMatchObject({
      status: 'completed',
      result: { content: [{ type: 'text', text: 'pi: done after 0.3s' }] },
    });
    // One more read after the interval: on a busy machine the first poll may already find the task done,
    // and the stats need two polls to have a gap.
    await new Promise((r) => setTimeout(r, 50));
    expect((await get(url, taskId)).result).toMatchObject({ status: 'completed' });
    const stats = (await (await fetch(url.replace(/\/mcp$/, '/stats'))).json()) as Record<
      string,
      { polls: number; minGapMs: number }
    >;
    expect(stats[taskId]!.polls).toBeGreaterThanOrEqual(2);
    expect(stats[taskId]!.minGapMs).toBeGreaterThanOrEqual(50);
  });

  it('a tool error completes with isError, a protocol error ends failed with error and no result', async () => {
    const { url } = await start('--poll-interval-ms', '50');
    const failing = await settled(url, await createTask(url, 'fail_task', { seconds: 0.1 }));
    expect(failing).toMatchObject({ status: 'completed', result: { isError: true } });
    const broken = await settled(url, await createTask(url, 'protocol_error_job'));
    expect(broken).toMatchObject({ status: 'failed', error: { code: -32603 } });
    expect(broken).not.toHaveProperty('result');
  });

  it('input_required lists inputRequests; tasks/update answers a subset, then the rest; it completes', async () => {
    const { url } = await start('--poll-interval-ms', '50');
    const taskId = await createTask(url, 'multi_input');
    const asking = await pollUntil(url, taskId, (t) => t['status'] === 'input_required');
    expect(Object.keys(asking['inputRequests'] as object).sort()).toEqual(['color', 'name']);
    expect((asking['inputRequests'] as Record<string, { method: string }>)['name']!.method).toBe('elicitation/create');
    const answer = (v: string) => ({ action: 'accept', content: { value: v } });
    const ack = await rpc(url, 'tasks/update', {
      taskId,
      inputResponses: { name: answer('Luca'), bogus: answer('x') },
    });
    expect(ack.result).toMatchObject({ resultType: 'complete' });
    expect(ack.result).not.toHaveProperty('taskId');
    const partly = (await get(url, taskId)).result!;
    expect(partly['status']).toBe('input_required');
    expect(Object.keys(partly['inputRequests'] as object)).toEqual(['color']);
    await rpc(url, 'tasks/update', { taskId, inputResponses: { color: answer('blue') } });
    const done = await settled(url, taskId);
    expect(done['status']).toBe('completed');
    expect(JSON.stringify(done['result'])).toContain('Luca');
  });

  it('tasks/cancel acks empty, the task settles cancelled, and a second cancel is the same ack', async () => {
    const { url } = await start('--poll-interval-ms', '50');
    const taskId = await createTask(url, 'long_task', { seconds: 60 });
    // Durable create: the task is gettable straight away.
    expect((await get(url, taskId)).result).toMatchObject({ taskId, status: 'working', resultType: 'complete' });
    const ack = await rpc(url, 'tasks/cancel', { taskId });
    expect(Object.keys(ack.result!).filter((k) => k !== '_meta')).toEqual(['resultType']);
    expect((await settled(url, taskId))['status']).toBe('cancelled');
    expect((await rpc(url, 'tasks/cancel', { taskId })).result).toMatchObject({ resultType: 'complete' });
  });

  it('an unknown, vanished or expired task id is -32602', async () => {
    const { url } = await start('--poll-interval-ms', '50');
    expect((await get(url, 'tasks-conformance-nonexistent-12345')).error?.code).toBe(-32602);
    expect((await rpc(url, 'tasks/cancel', { taskId: 'nope' })).error?.code).toBe(-32602);
    const vanishing = await createTask(url, 'vanish_task', { seconds: 0.2 });
    const expiring = await createTask(url, 'ttl_task', { ttlMs: 200 });
    expect((await get(url, vanishing)).result?.['status']).toBe('working');
    await new Promise((r) => setTimeout(r, 400));
    expect((await get(url, vanishing)).error?.code).toBe(-32602);
    expect((await get(url, expiring)).error?.code).toBe(-32602);
  });

  it('a client that does not declare the extension gets -32021, or a plain result where one exists', async () => {
    const { url } = await start();
    const taskId = await createTask(url, 'long_task', { seconds: 60 });
    for (const method of ['tasks/get', 'tasks/update', 'tasks/cancel']) {
      const reply = await rpc(url, method, { taskId }, false);
      expect(reply.error?.code).toBe(-32021);
      expect(reply.error?.data).toEqual({ requiredCapabilities: { extensions: { [EXT]: {} } } });
    }
    expect((await call(url, 'failing_job', {}, false)).error?.code).toBe(-32021);
    expect((await call(url, 'slow_compute', { seconds: 0.1 }, false)).result).toMatchObject({
      resultType: 'complete',
      content: [{ type: 'text', text: 'computed: done after 0.1s' }],
    });
  });

  it('bounds the number of live tasks', async () => {
    const { url } = await start('--max-tasks', '2');
    await createTask(url, 'long_task');
    await createTask(url, 'long_task');
    expect((await call(url, 'long_task')).error?.code).toBe(-32603);
  });

  it('keeps tasks across a restart with a state file (0600), and forgets them without one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tasks-fixture-'));
    dirs.push(dir);
    const file = join(dir, 'tasks.json');
    const first = await start('--state-file', file, '--poll-interval-ms', '50');
    const taskId = await createTask(first.url, 'slow_compute', { seconds: 0.5, label: 'kept' });
    await first.stop();
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const again = await start('--state-file', file, '--poll-interval-ms', '50');
    expect(await settled(again.url, taskId)).toMatchObject({ status: 'completed' });
    const forgetful = await start();
    const lost = await createTask(forgetful.url, 'long_task');
    await forgetful.stop();
    const fresh = await start();
    expect((await get(fresh.url, lost)).error?.code).toBe(-32602);
  });
});

describe('tasks fixture server against the official conformance suite', () => {
  // Every tasks-* scenario of 0.2.0-alpha.12 (server leg, 2026-07-28); status-notifications is a stub
  // that reports SKIPPED with no checks. Run one at a time: each is a few seconds.
  const scenarios = [
    'tasks-lifecycle',
    'tasks-capability-negotiation',
    'tasks-wire-fields',
    'tasks-request-state-removal',
    'tasks-mrtr-input',
    'tasks-request-headers',
    'tasks-dispatch-and-envelope',
    'tasks-required-task-error',
    'tasks-mrtr-composition',
  ];
  it.each(scenarios)('%s passes every check', { timeout: 120_000 }, async (scenario) => {
    const { url } = await start();
    const args = [suite, 'server', '--url', url, '--scenario', scenario, '--spec-version', '2026-07-28', '--force'];
    const out = await new Promise<string>((resolve, reject) => {
      execFile(node, args, { timeout: 100_000, maxBuffer: 4 * 1024 * 1024 }, (err, stdout, stderr) => {
        // The suite exits non-zero on a failed check; the result line says which.
        if (err !== null && err.killed) reject(err);
        else resolve(`${stdout}${stderr}`);
      });
    });
    const result = resultOf(out);
    expect(result, out.slice(-2000)).toBeDefined();
    expect(result!.failed, out.slice(-2000)).toBe(0);
    expect(result!.ok).toBe(result!.total);
    expect(result!.ok).toBeGreaterThan(0);
  });
});
