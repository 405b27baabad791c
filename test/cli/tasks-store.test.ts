import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTasksFixtureHttp } from '../helpers/published-servers.js';
import { eventually, UMCP, type HttpServerProcess } from '../helpers/servers.js';

// The task store across umcp processes and the CLI's task bounds: the built CLI, spawned as a user runs it,
// against the Tasks fixture on HTTP (one server for several CLI processes).

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function umcp(args: string[], env: Record<string, string>): Promise<Run> {
  const child = spawn(process.execPath, [UMCP, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise<Run>((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

/** The fixture's own record of a task, by the label the call gave it (its state file: the server's truth). */
async function serverTask(stateFile: string, label: string): Promise<{ status: string } | undefined> {
  const entries = JSON.parse(await readFile(stateFile, 'utf8')) as [string, { label?: string; status: string }][];
  return entries.map(([, task]) => task).find((task) => task.label === label);
}

// Every test runs the built CLI, a few processes after another, each taking seconds on a loaded machine.
describe('umcp tasks: the store across processes, removed servers, --deadline', { timeout: 90_000 }, () => {
  let dir: string;
  let config: string;
  let stateFile: string;
  let tasksFile: string;
  let server: HttpServerProcess;
  const env = {};

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'umcp-tasks-store-'));
    stateFile = join(dir, 'server-state.json');
    tasksFile = join(dir, 'state', 'tasks.json');
    server = await startTasksFixtureHttp('--state-file', stateFile, '--poll-interval-ms', '200');
    config = join(dir, 'http.json');
    await writeFile(config, JSON.stringify({ mcpServers: { jobs: { type: 'http', url: server.url } } }));
  });
  afterAll(async () => {
    await server?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  const detach = async (label: string): Promise<string> => {
    const args = ['call', 'jobs', 'long_task', JSON.stringify({ seconds: 120, label }), '--detach'];
    const r = await umcp([...args, '--config', config, '--tasks-file', tasksFile], env);
    expect(r.code).toBe(0);
    return r.stdout.trim();
  };
  const storedIds = async (): Promise<string[]> =>
    (JSON.parse(await readFile(tasksFile, 'utf8')) as { tasks: { id: string }[] }).tasks.map((t) => t.id);

  it('two umcp calls detached at once: both tasks are in the store', async () => {
    const ids = await Promise.all([detach('both-1'), detach('both-2'), detach('both-3')]);
    expect(new Set(ids).size).toBe(3);
    expect(await storedIds()).toEqual(expect.arrayContaining(ids));
    for (const id of ids) {
      const r = await umcp(['tasks', 'cancel', id, '--config', config, '--tasks-file', tasksFile], env);
      expect(r.code).toBe(0);
    }
    expect(await storedIds()).toEqual([]);
  });

  it.each(['wait', 'cancel'])(
    'tasks %s of a task whose server left the config ends it lost (exit 5), other tasks kept',
    async (action) => {
      const gone = await detach(`gone-${action}`);
      const kept = await detach(`kept-${action}`);
      // The same store, a config without "jobs" (renamed, as after an edit): both tasks' server left it.
      const other = join(dir, `other-${action}.json`);
      const servers = { renamed: { type: 'http', url: server.url } };
      await writeFile(other, JSON.stringify({ mcpServers: servers }));
      const r = await umcp(['tasks', action, gone, '--config', other, '--tasks-file', tasksFile], env);
      expect(r.code).toBe(5);
      expect(r.stderr).toMatch(/TASK_LOST/);
      expect(r.stderr).toMatch(/no longer configured/);
      // Lost is final: its record left the store. The other task, of a server that config does not have either,
      // is not this command's: it stays stored and running.
      const ids = await storedIds();
      expect(ids).not.toContain(gone);
      expect(ids).toContain(kept);
      expect((await serverTask(stateFile, `kept-${action}`))?.status).toBe('working');
      const cancelled = await umcp(['tasks', 'cancel', kept, '--config', config, '--tasks-file', tasksFile], env);
      expect(cancelled.code).toBe(0);
    },
  );

  it('--deadline bounds the task: past it the call exits 3 (TIMEOUT) and the task is cancelled', async () => {
    const args = ['call', 'jobs', 'long_task', '{"seconds": 60, "label": "deadline-flag"}', '--deadline', '2000'];
    const r = await umcp([...args, '--config', config, '--tasks-file', tasksFile], env);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/TIMEOUT/);
    await eventually(async () => (await serverTask(stateFile, 'deadline-flag'))?.status === 'cancelled', 10_000);
  });

  it("the config's callDeadlineMs bounds the task the same way", async () => {
    const bounded = join(dir, 'bounded.json');
    await writeFile(
      bounded,
      JSON.stringify({ mcpServers: { jobs: { type: 'http', url: server.url, callDeadlineMs: 2000 } } }),
    );
    const args = ['call', 'jobs', 'long_task', '{"seconds": 60, "label": "deadline-config"}'];
    const r = await umcp([...args, '--config', bounded, '--tasks-file', tasksFile], env);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/TIMEOUT/);
    await eventually(async () => (await serverTask(stateFile, 'deadline-config'))?.status === 'cancelled', 10_000);
  });
});
