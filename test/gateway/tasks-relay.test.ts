// The gateway relays Tasks (io.modelcontextprotocol/tasks, 2026-07-28) between its downstream clients and a
// task-making upstream (tasks-setup.ts: the Tasks fixture on stdio under a UniversalMcpClient): an SDK v2 client
// declaring the extension gets a task with the gateway's own id, polls it, answers its input and cancels it;
// another principal (another endpoint's token) cannot see it; a client that did not declare gets the result
// of a sync call. The SDK client (2.4.0) has no 2026 task API: it sends tasks/* as raw requests (and a
// tools/call that may answer a task goes by fetch: the SDK client refuses that answer).
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import type { HttpListener } from '@universal-mcp/gateway';
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTasksFixtureHttp, TASKS_FIXTURE_2025 } from '../helpers/published-servers.js';
import { gatewayOver, OTHER, tasksGateway as setup } from './tasks-setup.js';
import { closeAll, opened, textOf } from './two-revisions-setup.js';

afterEach(closeAll);

const EXT = 'io.modelcontextprotocol/tasks';
const TERMINAL = ['completed', 'failed', 'cancelled'];
type Json = Record<string, unknown>;
/** Takes any result as it came (the SDK's own schemas know no 2026 task shapes). */
const ANY = {
  '~standard': { version: 1 as const, vendor: 'test', validate: (value: unknown) => ({ value: value as Json }) },
};

/** A downstream 2026 client: an SDK v2 client for tasks/*, and what a raw tools/call needs. */
interface Downstream {
  readonly sdk: Client;
  readonly url: URL;
  readonly token: string;
  /** Whether it declares the extension. */
  readonly tasks: boolean;
}

const capabilitiesOf = (tasks: boolean): Json => ({
  elicitation: { form: {} },
  ...(tasks ? { extensions: { [EXT]: {} } } : {}),
});

/** An SDK v2 client pinned to 2026-07-28 on `url` with `token`; `tasks`: whether it declares the extension. */
async function connect(url: URL, token: string, tasks = true): Promise<Downstream> {
  const sdk = new Client(
    { name: 'downstream', version: '1.0.0' },
    { versionNegotiation: { mode: { pin: '2026-07-28' } }, capabilities: capabilitiesOf(tasks) },
  );
  await sdk.connect(
    new StreamableHTTPClientTransport(url, { requestInit: { headers: { authorization: `Bearer ${token}` } } }),
  );
  opened.push(sdk);
  return { sdk, url, token, tasks };
}

const main = async (listener: HttpListener, tasks = true): Promise<Downstream> =>
  connect(listener.url, listener.token as string, tasks);

let nextId = 0;
/**
 * A raw `tools/call`: the SDK client (2.4.0) refuses a `resultType: "task"` answer before the caller sees it
 * (the SDK's own Tasks support is a draft), so this one goes by fetch, with the same envelope.
 */
async function call(down: Downstream, name: string, args: Json = {}): Promise<Json> {
  const res = await fetch(down.url, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${down.token}`,
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': '2026-07-28',
      'mcp-method': 'tools/call',
      'mcp-name': name,
    },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: ++nextId,
      method: 'tools/call',
      params: {
        name,
        arguments: args,
        _meta: {
          'io.modelcontextprotocol/protocolVersion': '2026-07-28',
          'io.modelcontextprotocol/clientCapabilities': capabilitiesOf(down.tasks),
          'io.modelcontextprotocol/clientInfo': { name: 'raw', version: '1.0.0' },
        },
      },
    }),
  });
  const text = await res.text();
  // An SSE answer carries the JSON-RPC message on its data line.
  const reply = JSON.parse(text.startsWith('{') ? text : (/^data: (.*)$/m.exec(text)?.[1] ?? '{}')) as {
    result?: Json;
    error?: { code: number; message: string };
  };
  if (reply.result === undefined) throw new Error(`tools/call failed: ${JSON.stringify(reply.error)}`);
  return reply.result;
}
const tasksRequest = (down: Downstream, method: string, params: Json): Promise<Json> =>
  down.sdk.request({ method, params }, ANY) as Promise<Json>;
const get = (down: Downstream, taskId: string): Promise<Json> => tasksRequest(down, 'tasks/get', { taskId });

/** An ack's fields (the SDK client takes `resultType: "complete"` off; `_meta` is the server's info): none. */
const fields = (ack: Json): string[] => Object.keys(ack).filter((k) => k !== '_meta');

/** The JSON-RPC error code a request failed with. */
async function codeOf(request: Promise<unknown>): Promise<number | undefined> {
  try {
    await request;
  } catch (err) {
    return (err as { code?: number }).code;
  }
  return undefined;
}

/** Polls `taskId` at its pollIntervalMs until `until` holds (bounded). */
async function pollUntil(down: Downstream, taskId: string, until: (task: Json) => boolean): Promise<Json> {
  for (let i = 0; i < 400; i++) {
    const task = await get(down, taskId);
    if (until(task)) return task;
    await new Promise((r) => setTimeout(r, Number(task['pollIntervalMs'] ?? 100)));
  }
  throw new Error(`task never reached the state asked for`);
}
const settled = (down: Downstream, taskId: string): Promise<Json> =>
  pollUntil(down, taskId, (t) => TERMINAL.includes(t['status'] as string));

/** Starts `name` and checks the answer is a flat CreateTaskResult; gives its id. */
async function created(down: Downstream, name: string, args: Json = {}): Promise<string> {
  const r = await call(down, name, args);
  expect(r).toMatchObject({ resultType: 'task', status: 'working' });
  for (const banned of ['task', 'result', 'error', 'inputRequests', 'requestState', 'ttl', 'pollInterval'])
    expect(r).not.toHaveProperty(banned);
  expect(Number.isNaN(Date.parse(r['createdAt'] as string))).toBe(false);
  expect(Number.isNaN(Date.parse(r['lastUpdatedAt'] as string))).toBe(false);
  expect(r).toHaveProperty('ttlMs');
  return r['taskId'] as string;
}

describe('gateway relays 2026 Tasks to an SDK v2 client that declares the extension', () => {
  it('advertises the extension; long_task comes back as a task with the gateway id, polled to its result', async () => {
    const listener = await setup();
    const down = await main(listener);
    expect(down.sdk.getServerCapabilities()?.extensions?.[EXT]).toEqual({});
    const id = await created(down, 'long_task', { seconds: 1, label: 'sum' });
    const done = await settled(down, id);
    expect(done).toMatchObject({
      taskId: id,
      status: 'completed',
      result: { content: [{ type: 'text', text: 'sum: done after 1s' }] },
    });
    // Still readable once ended (the same id, the same answer).
    expect(await get(down, id)).toMatchObject({ status: 'completed' });
  });

  it('ask_task: input_required with inputRequests, answered by tasks/update, then completed', async () => {
    const listener = await setup();
    const down = await main(listener);
    const id = await created(down, 'ask_task', { seconds: 0.2 });
    const asking = await pollUntil(down, id, (t) => t['status'] === 'input_required');
    const requests = asking['inputRequests'] as Record<string, { method: string; params: Json }>;
    expect(Object.keys(requests)).toEqual(['answer']);
    expect(requests['answer']?.method).toBe('elicitation/create');
    const ack = await tasksRequest(down, 'tasks/update', {
      taskId: id,
      inputResponses: { answer: { action: 'accept', content: { answer: '42' } } },
    });
    expect(fields(ack)).toEqual([]);
    const done = await settled(down, id);
    expect(done['status']).toBe('completed');
    expect(textOf(done['result'] as Json)).toContain('42');
  });

  it('tasks/cancel acks, the task ends cancelled, and a second cancel acks the same', async () => {
    const listener = await setup();
    const down = await main(listener);
    const id = await created(down, 'long_task', { seconds: 30 });
    const ack = await tasksRequest(down, 'tasks/cancel', { taskId: id });
    expect(fields(ack)).toEqual([]);
    expect((await settled(down, id))['status']).toBe('cancelled');
    expect(fields(await tasksRequest(down, 'tasks/cancel', { taskId: id }))).toEqual([]);
  });

  it("another principal's request for the id is answered as an unknown id's (-32602), changing nothing", async () => {
    const listener = await setup();
    const owner = await main(listener);
    const stranger = await connect(listener.endpoints['other'] as URL, OTHER.token);
    const id = await created(owner, 'long_task', { seconds: 30 });
    for (const method of ['tasks/get', 'tasks/update', 'tasks/cancel'])
      expect(await codeOf(tasksRequest(stranger, method, { taskId: id, inputResponses: {} }))).toBe(-32602);
    expect(await codeOf(get(stranger, 'no-such-task'))).toBe(-32602);
    expect(await codeOf(get(owner, 'no-such-task'))).toBe(-32602);
    // The stranger's cancel did not reach it.
    expect((await get(owner, id))['status']).toBe('working');
    await tasksRequest(owner, 'tasks/cancel', { taskId: id });
  });

  it('a client that did not declare gets the result of a sync call, and -32021 on tasks/*', async () => {
    const listener = await setup();
    const down = await main(listener, false);
    const r = await call(down, 'long_task', { seconds: 1, label: 'plain' });
    expect(r).not.toHaveProperty('taskId');
    expect(textOf(r)).toBe('plain: done after 1s');
    expect(await codeOf(get(down, 'whatever'))).toBe(-32021);
    // A tool the upstream runs only as a task: -32021, naming the extension to declare.
    await expect(call(down, 'ask_task')).rejects.toThrow(
      /"code":-32021.*"requiredCapabilities":\{"extensions":\{"io.modelcontextprotocol\/tasks":\{\}\}\}/,
    );
  });

  it('a gateway restarted over the same task file answers the same ids on the same endpoint', async () => {
    const upstream = await startTasksFixtureHttp('--poll-interval-ms', '100');
    opened.push({ close: () => upstream.stop() });
    const dir = mkdtempSync(join(tmpdir(), 'gw-tasks-'));
    opened.push({ close: async () => rmSync(dir, { recursive: true, force: true }) });
    const file = join(dir, 'tasks.json');
    const token = 'restart-token-0123456789';
    const first = await gatewayOver(upstream.url, file, token);
    const id = await created(await connect(first.listener.url, token), 'long_task', { seconds: 2, label: 'kept' });
    await first.close();
    const second = await gatewayOver(upstream.url, file, token);
    const done = await settled(await connect(second.listener.url, token), id);
    expect(done).toMatchObject({ status: 'completed', result: { content: [{ text: 'kept: done after 2s' }] } });
  });

  it('a 2025-11-25 upstream (params.task, tasks/result) is relayed to a 2026 client the same way', async () => {
    const listener = await setup(TASKS_FIXTURE_2025);
    const down = await main(listener);
    expect(down.sdk.getServerCapabilities()?.extensions?.[EXT]).toEqual({});
    const id = await created(down, 'long_task', { seconds: 1 });
    expect(await settled(down, id)).toMatchObject({ status: 'completed', result: { content: [{ type: 'text' }] } });
    const failing = await created(down, 'fail_task', { seconds: 0.2 });
    expect(await settled(down, failing)).toMatchObject({ status: 'completed', result: { isError: true } });
  });
});
