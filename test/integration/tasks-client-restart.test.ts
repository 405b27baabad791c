// Issue 30, "SIGKILL of the client service mid-task, restart, result delivered": the task id lives in the
// client's file store (0600), so a new process with the same store polls the same server task and delivers
// its result. The client service is test/helpers/tasks-client.mjs (the built supervisor) in its own process.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { startTasksFixtureHttp, type StartedHttpServer } from '../helpers/published-servers.js';
import { descendantsOf } from '../helpers/servers.js';

const CLIENT = join(dirname(fileURLToPath(import.meta.url)), '..', 'helpers', 'tasks-client.mjs');

/** Resolves with the first line of the child's stdout matching `pattern`; rejects on an ERROR line or an exit. */
function lineOf(child: ChildProcess, pattern: RegExp): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const onData = (chunk: Buffer): void => {
      seen += chunk.toString('utf8');
      const m = seen.match(pattern);
      if (m !== null) {
        child.stdout?.off('data', onData);
        child.stdout?.resume();
        resolve(m);
      } else if (/^ERROR /m.test(seen)) reject(new Error(`client failed: ${seen}`));
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code, signal) => reject(new Error(`client exited (${code ?? signal}): ${seen}`)));
  });
}

const exited = (child: ChildProcess): Promise<number | null> =>
  child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve(child.exitCode)
    : new Promise((resolve) => child.once('exit', (code) => resolve(code)));

describe('tasks: the client service is killed mid-task', () => {
  const children: ChildProcess[] = [];
  let server: StartedHttpServer | undefined;
  let dir: string | undefined;
  afterEach(async () => {
    for (const child of children.splice(0)) {
      const gone = exited(child);
      child.kill('SIGKILL');
      await gone;
    }
    await server?.stop();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
    expect(await descendantsOf(process.pid)).toEqual([]);
  });

  const run = (...args: string[]): ChildProcess => {
    const child = spawn(process.execPath, [CLIENT, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stderr?.resume();
    children.push(child);
    return child;
  };

  it('SIGKILL after startTool, a new process with the same 0600 store delivers the same task', async () => {
    server = await startTasksFixtureHttp('--poll-interval-ms', '250');
    dir = await mkdtemp(join(tmpdir(), 'umcp-tasks-client-'));
    const file = join(dir, 'tasks.json');

    // The label is a tool argument: it may be a secret, and must never reach the store.
    const secret = 'argument-secret-4f1c';
    const first = run('start', server.url, file, '6', secret);
    const id = (await lineOf(first, /^TASK (\S+)$/m))[1]!;
    const killedAt = Date.now();
    const gone = exited(first);
    first.kill('SIGKILL');
    await gone;

    // The task was stored before startTool resolved, in a file only its owner reads.
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await readFile(file, 'utf8')).not.toContain(secret);

    const second = run('resume', server.url, file, id);
    const result = JSON.parse((await lineOf(second, /^RESULT (.+)$/m))[1]!) as unknown;
    expect(result).toMatchObject({ content: [{ type: 'text', text: `${secret}: done after 6s` }] });
    expect(await exited(second)).toBe(0);
    // Killed at once after startTool, so the 6 s task ended long after the first process: the second delivered it.
    expect(Date.now() - killedAt).toBeGreaterThanOrEqual(3000);

    // One server task, polled (by the second process) to the end.
    const stats = (await (await fetch(server.url.replace(/\/mcp$/, '/stats'))).json()) as Record<
      string,
      { polls: number; status?: string }
    >;
    expect(Object.values(stats)).toEqual([expect.objectContaining({ status: 'completed' })]);
  }, 90_000);
});
