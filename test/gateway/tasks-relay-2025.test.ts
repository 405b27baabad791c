// The gateway's 2025-11-25 face for Tasks (the experimental tasks of that revision), over a 2026 Tasks upstream
// (tasks-setup.ts): an SDK v1 client (1.32.2, `client.experimental.tasks`, a ready 2025 requester) sees the
// capability and `execution.taskSupport`, asks for a task with `params.task`, gets the gateway's id, polls
// `tasks/get`, reads `tasks/result`; the upstream's input reaches it as an elicitation request; `tasks/list`
// lists its own; another session's request for its id is answered as for an unknown one.
import { Client as V1Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as V1Transport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { CallToolResultSchema, ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import type { HttpListener } from '@universal-mcp/gateway';
import { afterEach, describe, expect, it } from 'vitest';
import { TASKS_FIXTURE_2025 } from '../helpers/published-servers.js';
import { tasksGateway } from './tasks-setup.js';
import { closeAll, opened, textOf } from './two-revisions-setup.js';

afterEach(closeAll);

/** A 2025-era SDK v1 session on the gateway's main endpoint; it answers elicitations with `answer`. */
async function session(listener: HttpListener, answer = '42'): Promise<V1Client> {
  const down = new V1Client({ name: 'old', version: '1.0.0' }, { capabilities: { elicitation: {} } });
  down.setRequestHandler(ElicitRequestSchema, () => ({ action: 'accept', content: { answer } }));
  await down.connect(
    new V1Transport(listener.url, {
      requestInit: { headers: { authorization: `Bearer ${listener.token as string}` } },
    }),
  );
  opened.push(down);
  return down;
}

/** Runs `name` as a task through `callToolStream`; gives the task id it was created with and the result. */
async function runAsTask(
  down: V1Client,
  name: string,
  args: Record<string, unknown>,
): Promise<{ taskId: string | undefined; result: Record<string, unknown> | undefined; statuses: string[] }> {
  let taskId: string | undefined;
  let result: Record<string, unknown> | undefined;
  const statuses: string[] = [];
  const stream = down.experimental.tasks.callToolStream({ name, arguments: args }, CallToolResultSchema, {
    task: { ttl: 60_000 },
  });
  for await (const message of stream) {
    if (message.type === 'taskCreated') taskId = message.task.taskId;
    else if (message.type === 'taskStatus') statuses.push(message.task.status);
    else if (message.type === 'result') result = message.result as Record<string, unknown>;
    else if (message.type === 'error') throw message.error;
  }
  return { taskId, result, statuses };
}

describe('gateway relays Tasks to a 2025-11-25 client (experimental tasks)', () => {
  it('declares tasks, marks the tools optional, and runs long_task as a task to its result', async () => {
    const listener = await tasksGateway();
    const down = await session(listener);
    expect(down.getServerCapabilities()?.tasks?.requests?.tools?.call).toEqual({});
    const { tools } = await down.listTools();
    expect(tools.find((t) => t.name === 'long_task')?.execution).toEqual({ taskSupport: 'optional' });
    const { taskId, result } = await runAsTask(down, 'long_task', { seconds: 1, label: 'old' });
    expect(taskId).toMatch(/^[0-9a-f-]{36}$/);
    expect(textOf(result ?? {})).toBe('old: done after 1s');
    const task = await down.experimental.tasks.getTask(taskId as string);
    expect(task).toMatchObject({ taskId, status: 'completed' });
    const listed = await down.experimental.tasks.listTasks();
    expect(listed.tasks.map((t) => t.taskId)).toContain(taskId);
  });

  it("the upstream's input during the task reaches the session as an elicitation; its answer ends it", async () => {
    const listener = await tasksGateway();
    const down = await session(listener, 'forty-two');
    const { result } = await runAsTask(down, 'ask_task', { seconds: 0.2 });
    expect(textOf(result ?? {})).toContain('forty-two');
  });

  it("another session cannot read, list or cancel the task; the owner's cancel ends it cancelled", async () => {
    const listener = await tasksGateway();
    const owner = await session(listener);
    const stranger = await session(listener);
    const created = await owner.request(
      { method: 'tools/call', params: { name: 'long_task', arguments: { seconds: 30 }, task: { ttl: 60_000 } } },
      CallToolResultSchema.passthrough(),
    );
    const taskId = (created as { task?: { taskId: string } }).task?.taskId as string;
    expect(taskId).toBeDefined();
    await expect(stranger.experimental.tasks.getTask(taskId)).rejects.toMatchObject({ code: -32602 });
    await expect(stranger.experimental.tasks.cancelTask(taskId)).rejects.toMatchObject({ code: -32602 });
    expect((await stranger.experimental.tasks.listTasks()).tasks).toEqual([]);
    expect((await owner.experimental.tasks.getTask(taskId)).status).toBe('working');
    expect((await owner.experimental.tasks.cancelTask(taskId)).status).toBe('cancelled');
  });

  it("a 2025-11-25 upstream's own taskSupport is kept, and its task-only tool runs as a task", async () => {
    const listener = await tasksGateway(TASKS_FIXTURE_2025);
    const down = await session(listener);
    const { tools } = await down.listTools();
    const support = Object.fromEntries(tools.map((t) => [t.name, t.execution?.taskSupport]));
    expect(support).toMatchObject({ long_task: 'optional', fail_task: 'required' });
    const { taskId, result } = await runAsTask(down, 'fail_task', { seconds: 0.2 });
    expect(taskId).toBeDefined();
    expect(result).toMatchObject({ isError: true, content: [{ type: 'text', text: 'job failed' }] });
  });
});
