// The 2025-11-25 tasks fixture (test/fixtures/tasks-server-2025.mjs, SDK v1) driven with raw JSON-RPC
// over one HTTP session: the client-directed era (params.task, nested create result, ttl/pollInterval,
// blocking tasks/result with related-task _meta, tasks/list, cancel returning the task).
import { afterEach, describe, expect, it } from 'vitest';
import { startTasksFixture2025Http, type StartedHttpServer } from '../helpers/published-servers.js';

const started: StartedHttpServer[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((s) => s.stop()));
});

interface RpcReply {
  readonly result?: Record<string, unknown>;
  readonly error?: { code: number; message: string };
}

/** One initialized 2025-11-25 session; `rpc` sends a request and reads the one SSE or JSON reply. */
async function session(url: string) {
  let id = 0;
  let sid: string | undefined;
  const post = (body: unknown) =>
    fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        ...(sid === undefined ? {} : { 'mcp-session-id': sid, 'mcp-protocol-version': '2025-11-25' }),
      },
      body: JSON.stringify(body),
    });
  const rpc = async (method: string, params: Record<string, unknown> = {}): Promise<RpcReply> => {
    const res = await post({ jsonrpc: '2.0', id: ++id, method, params });
    sid = res.headers.get('mcp-session-id') ?? sid;
    const text = await res.text();
    const data = text.split('\n').find((l) => l.startsWith('data: '));
    return JSON.parse(data === undefined ? text : data.slice(6)) as RpcReply;
  };
  const init = await rpc('initialize', {
    protocolVersion: '2025-11-25',
    capabilities: {},
    clientInfo: { name: 'tasks-fixture-2025-test', version: '1.0.0' },
  });
  await post({ jsonrpc: '2.0', method: 'notifications/initialized' });
  return { rpc, init };
}

describe('tasks fixture server, 2025-11-25 experimental tasks (SDK v1)', () => {
  it('advertises capabilities.tasks and per-tool execution.taskSupport', async () => {
    const server = await startTasksFixture2025Http();
    started.push(server);
    const { rpc, init } = await session(server.url);
    expect(init.result?.['capabilities']).toMatchObject({ tasks: { requests: { tools: { call: {} } } } });
    const tools = (await rpc('tools/list')).result?.['tools'] as { name: string; execution?: unknown }[];
    expect(Object.fromEntries(tools.map((t) => [t.name, t.execution]))).toEqual({
      greet: { taskSupport: 'forbidden' },
      long_task: { taskSupport: 'optional' },
      fail_task: { taskSupport: 'required' },
    });
  });

  it('a task-augmented call nests the task; tasks/get, tasks/list and the blocking tasks/result follow', async () => {
    const server = await startTasksFixture2025Http('--poll-interval-ms', '50');
    started.push(server);
    const { rpc } = await session(server.url);
    const created = await rpc('tools/call', { name: 'long_task', arguments: { seconds: 0.3 }, task: { ttl: 30000 } });
    const task = created.result?.['task'] as Record<string, unknown>;
    expect(task).toMatchObject({ status: 'working', ttl: 30000, pollInterval: 50 });
    expect(created.result).not.toHaveProperty('resultType');
    const taskId = task['taskId'] as string;
    expect((await rpc('tasks/get', { taskId })).result).toMatchObject({ taskId, status: 'working' });
    const listed = (await rpc('tasks/list')).result?.['tasks'] as { taskId: string }[];
    expect(listed.map((t) => t.taskId)).toContain(taskId);
    const result = await rpc('tasks/result', { taskId });
    expect(result.result).toMatchObject({
      content: [{ type: 'text', text: 'done after 0.3s' }],
      _meta: { 'io.modelcontextprotocol/related-task': { taskId } },
    });
    expect((await rpc('tasks/get', { taskId })).result?.['status']).toBe('completed');
  });

  it('cancel returns the cancelled task; a second cancel of the terminal task is -32602', async () => {
    const server = await startTasksFixture2025Http();
    started.push(server);
    const { rpc } = await session(server.url);
    const created = await rpc('tools/call', { name: 'long_task', arguments: {}, task: {} });
    const taskId = (created.result?.['task'] as { taskId: string }).taskId;
    expect((await rpc('tasks/cancel', { taskId })).result).toMatchObject({ taskId, status: 'cancelled' });
    expect((await rpc('tasks/cancel', { taskId })).error?.code).toBe(-32602);
    expect((await rpc('tasks/get', { taskId: 'no-such-task' })).error?.code).toBe(-32602);
  });

  it('a required task tool called without params.task is refused (SDK v1: isError naming -32601)', async () => {
    const server = await startTasksFixture2025Http();
    started.push(server);
    const { rpc } = await session(server.url);
    const reply = await rpc('tools/call', { name: 'fail_task', arguments: {} });
    expect(reply.result).toMatchObject({ isError: true });
    expect(JSON.stringify(reply.result)).toContain('-32601');
  });
});
