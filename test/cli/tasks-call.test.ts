import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTasksFixtureHttp, TASKS_FIXTURE } from '../helpers/published-servers.js';
import { eventually, UMCP, type HttpServerProcess } from '../helpers/servers.js';

// `umcp call` on a task-backed tool and `umcp tasks`: the built CLI, spawned as a user runs it, against the
// Tasks fixture (stdio for one call; HTTP, one server for several CLI processes, where a task must outlive
// the process that made it: a new CLI process would start a new stdio server that never heard of it).

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

interface Started {
  readonly done: Promise<Run>;
  /** Resolves once stderr matches `pattern`. */
  saw(pattern: RegExp): Promise<void>;
  readonly child: ChildProcess;
}

function umcp(args: string[], env: Record<string, string>): Started {
  const child = spawn(process.execPath, [UMCP, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<Run>((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
  return { done, child, saw: (pattern) => eventually(() => pattern.test(stderr), 30_000) };
}

/** The fixture's own record of a task, by the label the call gave it (its state file: the server's truth). */
async function serverTask(stateFile: string, label: string): Promise<{ status: string } | undefined> {
  const entries = JSON.parse(await readFile(stateFile, 'utf8')) as [string, { label?: string; status: string }][];
  return entries.map(([, task]) => task).find((task) => task.label === label);
}

// Every test runs the built CLI, one or two processes after another, each taking seconds on a loaded machine.
describe('umcp call on tasks, umcp tasks', { timeout: 90_000 }, () => {
  let dir: string;
  let stdioConfig: string;
  let httpConfig: string;
  let stateFile: string;
  let server: HttpServerProcess;
  let env: Record<string, string>;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'umcp-tasks-'));
    stateFile = join(dir, 'server-state.json');
    server = await startTasksFixtureHttp('--state-file', stateFile, '--poll-interval-ms', '200');
    stdioConfig = join(dir, 'stdio.json');
    httpConfig = join(dir, 'http.json');
    await writeFile(
      stdioConfig,
      JSON.stringify({ mcpServers: { jobs: { command: process.execPath, args: [TASKS_FIXTURE] } } }),
    );
    await writeFile(httpConfig, JSON.stringify({ mcpServers: { jobs: { type: 'http', url: server.url } } }));
    // The default store location, under a state home of the test's own.
    env = { XDG_STATE_HOME: join(dir, 'state') };
  });
  afterAll(async () => {
    await server?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('call: a task-backed tool shows its status on stderr and prints the result', async () => {
    const run = umcp(['call', 'jobs', 'long_task', '{"seconds": 3, "label": "three"}', '--config', stdioConfig], env);
    const r = await run.done;
    expect(r.stderr).toMatch(/^task working · \d+s$/m);
    expect(r).toMatchObject({ code: 0, stdout: 'three: done after 3s\n' });
    // The task went through the default store: its directory 0700, the file 0600.
    expect((await stat(join(dir, 'state', 'umcp'))).mode & 0o777).toBe(0o700);
    expect((await stat(join(dir, 'state', 'umcp', 'tasks.json'))).mode & 0o777).toBe(0o600);
  });

  it('a task detached from a stdio server that kept nothing is lost: exit 5', async () => {
    const args = ['call', 'jobs', 'long_task', '{"seconds": 30}', '--config', stdioConfig, '--detach'];
    const r = await umcp(args, env).done;
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/"jobs" is a stdio server and stops now/);
    // A new umcp starts a new server, which never heard of the task.
    const waited = await umcp(['tasks', 'wait', r.stdout.trim(), '--config', stdioConfig], env).done;
    expect(waited.code).toBe(5);
    expect(waited.stderr).toMatch(/TASK_LOST/);
  });

  it('Ctrl-C, --on-interrupt detach: the task runs on (exit 0, the id); tasks wait gets its result', async () => {
    const run = umcp(
      [
        'call',
        'jobs',
        'long_task',
        '{"seconds": 6, "label": "detached"}',
        '--config',
        httpConfig,
        '--on-interrupt',
        'detach',
      ],
      env,
    );
    await run.saw(/task working/);
    run.child.kill('SIGINT');
    const r = await run.done;
    expect(r.code).toBe(0);
    const id = r.stdout.trim();
    expect(id).toMatch(/^\S+$/);
    expect(r.stderr).toContain(`umcp tasks wait ${id}`);
    expect((await serverTask(stateFile, 'detached'))?.status).toBe('working');

    const listed = await umcp(['tasks', 'list', '--json', '--config', httpConfig], env).done;
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.stdout)).toContainEqual(
      expect.objectContaining({ id, server: 'jobs', tool: 'long_task', task: true }),
    );

    const waited = await umcp(['tasks', 'wait', id, '--config', httpConfig], env).done;
    expect(waited).toMatchObject({ code: 0, stdout: 'detached: done after 6s\n' });
  });

  it('Ctrl-C without a terminal cancels the task on the server (exit 130)', async () => {
    const run = umcp(
      ['call', 'jobs', 'long_task', '{"seconds": 60, "label": "cancel-me"}', '--config', httpConfig],
      env,
    );
    await run.saw(/task working/);
    run.child.kill('SIGINT');
    const r = await run.done;
    expect(r.code).toBe(130);
    expect(r.stderr).toMatch(/cancelling the task/);
    expect((await serverTask(stateFile, 'cancel-me'))?.status).toBe('cancelled');
  });

  it('--detach returns once the task exists; tasks cancel cancels it; an unknown id exits 4', async () => {
    const r = await umcp(
      ['call', 'jobs', 'long_task', '{"seconds": 60, "label": "background"}', '--config', httpConfig, '--detach'],
      env,
    ).done;
    expect(r.code).toBe(0);
    const id = r.stdout.trim();
    expect((await serverTask(stateFile, 'background'))?.status).toBe('working');

    const cancelled = await umcp(['tasks', 'cancel', id, '--config', httpConfig], env).done;
    expect(cancelled.code).toBe(0);
    expect((await serverTask(stateFile, 'background'))?.status).toBe('cancelled');

    const unknown = await umcp(['tasks', 'wait', 'no-such-task', '--config', httpConfig], env).done;
    expect(unknown.code).toBe(4);
    expect(unknown.stderr).toMatch(/TASK_NOT_FOUND/);
  });
});
