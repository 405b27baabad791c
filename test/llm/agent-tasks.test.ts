import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, RunAbortedError, createToolset, openAiChat, type AgentEvent, type Toolset } from '@universal-mcp/llm';
import { UniversalMcpClient, type TaskSnapshot } from '@universal-mcp/supervisor';
import { tasksFixtureStdio } from '../helpers/published-servers.js';
import { eventually } from '../helpers/servers.js';
import { startScriptedProvider, type ScriptedProvider } from '../helpers/scripted-provider.js';

// The agent with a tool the server runs as a task (MCP Tasks, the 2026 extension): the repo's tasks
// fixture as a real process, the scripted provider (test/helpers/scripted-provider.ts) as the model.

let provider: ScriptedProvider;
let client: UniversalMcpClient;
let toolset: Toolset;

beforeAll(async () => {
  provider = await startScriptedProvider();
  client = new UniversalMcpClient({ defaults: { health: { intervalMs: 0 } } });
  await client.addServer(tasksFixtureStdio('jobs'));
  toolset = createToolset(client, { filter: { include: ['long_task'] } });
}, 30_000);
afterAll(async () => {
  toolset.close();
  await client.close();
  await provider.close();
});

const model = () =>
  openAiChat(new OpenAI({ apiKey: 'test', baseURL: provider.baseURL, maxRetries: 0 }), { model: 'scripted' });
const longTask = () => toolset.list().find((t) => t.tool === 'long_task')!.name;

/** Runs the agent until its first `tool-status` event; the run goes on. */
async function untilStatus(run: AsyncIterable<AgentEvent>): Promise<Extract<AgentEvent, { type: 'tool-status' }>> {
  for await (const e of run) if (e.type === 'tool-status') return e;
  throw new Error('the run ended without a tool-status event');
}

/** The client's `task:end` of `taskId`. */
const ended = (taskId: () => string | undefined) =>
  new Promise<TaskSnapshot>((resolve) => {
    const off = client.on('task:end', (s) => {
      if (s.id !== taskId()) return;
      off();
      resolve(s);
    });
  });

describe('the agent and a task-backed tool', () => {
  it('is one step whose status goes into the run as tool-status events, then its result', async () => {
    provider.script({ toolCalls: [{ name: longTask(), args: { seconds: 1 } }] }, { text: 'It is done.' });
    const run = new Agent({ model: model(), toolset }).run('Run the job');
    const events: AgentEvent[] = [];
    for await (const e of run) events.push(e);
    const result = await run.result;
    expect(result.steps).toBe(2);
    expect(events.filter((e) => e.type === 'tool-call')).toHaveLength(1);
    const statuses = events.filter((e) => e.type === 'tool-status');
    expect(statuses.length).toBeGreaterThan(0);
    expect(statuses[0]).toMatchObject({ status: 'working', call: { name: longTask() } });
    expect(client.task(statuses[0]!.taskId).snapshot().status).toBe('completed');
    const results = events.filter((e) => e.type === 'tool-result');
    expect(results).toHaveLength(1);
    expect(JSON.stringify(results[0])).toContain('done after 1s');
    // The status events come before the result, inside the step.
    expect(events.indexOf(statuses.at(-1)!)).toBeLessThan(events.indexOf(results[0]!));
  }, 30_000);

  it('an aborted run cancels its task (no orphan keeps running at the server)', async () => {
    provider.script({ toolCalls: [{ name: longTask(), args: { seconds: 60 } }] });
    const ac = new AbortController();
    const run = new Agent({ model: model(), toolset }).run('Run the long job', { signal: ac.signal });
    const status = await untilStatus(run);
    const end = ended(() => status.taskId);
    ac.abort();
    await expect(run.result).rejects.toBeInstanceOf(RunAbortedError);
    expect((await end).status).toBe('cancelled');
  }, 30_000);

  it("with onAbort 'detach', an aborted run leaves its task running in client.tasks()", async () => {
    provider.script({ toolCalls: [{ name: longTask(), args: { seconds: 60 } }] });
    const ac = new AbortController();
    const run = new Agent({ model: model(), toolset, onAbort: 'detach' }).run('Run it', { signal: ac.signal });
    const status = await untilStatus(run);
    ac.abort();
    await expect(run.result).rejects.toBeInstanceOf(RunAbortedError);
    // Polled a few more times: still working, still listed.
    await new Promise((r) => setTimeout(r, 500));
    expect(client.tasks().find((t) => t.id === status.taskId)?.status).toBe('working');
    const end = ended(() => status.taskId);
    await client.task(status.taskId).cancel();
    expect((await end).status).toBe('cancelled');
    await eventually(() => client.task(status.taskId).snapshot().status === 'cancelled', 5000);
  }, 30_000);
});
