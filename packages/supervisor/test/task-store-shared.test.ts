import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode } from '@universal-mcp/core';
import { FileTaskStore } from '../src/file-task-store.js';
import { LOCK_STALE_MS } from '../src/file-lock.js';
import type { TaskRecord } from '../src/task-store.js';

// Several stores on one tasks file (two `umcp call`s at once): each write merges its own changes into what is on
// disk under a lock file, so no process loses another's records.

const T0 = 1_800_000_000_000;
const BUILT_STORE = fileURLToPath(new URL('../dist/file-task-store.js', import.meta.url));

function record(taskId: string, server = 's'): TaskRecord {
  return {
    id: `local-${taskId}`,
    server,
    taskId,
    era: '2026-07-28',
    tool: 'long_task',
    createdAt: T0,
    lastSeenAt: T0,
    expiresAt: null,
    status: 'working',
  };
}

/** A node child that puts `count` records named `<prefix><i>` into the file, all at once, through the built store. */
function putInChild(path: string, prefix: string, count: number): Promise<number | null> {
  const script = `
    const { FileTaskStore } = await import(${JSON.stringify(BUILT_STORE)});
    const store = new FileTaskStore(${JSON.stringify(path)});
    // One at a time after a first read: each put is a write of its own, interleaving with the other child's.
    for (let i = 0; i < ${count}; i++)
      await store.put({ id: '${prefix}' + i, server: 's', taskId: '${prefix}' + i, era: '2026-07-28',
        tool: 'long_task', createdAt: 1, lastSeenAt: 1, expiresAt: null, status: 'working' });`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) =>
    child.on('close', (code) => {
      if (code !== 0) console.error(stderr);
      resolve(code);
    }),
  );
}

describe('FileTaskStore shared by several stores', () => {
  let dir: string;
  let n = 0;
  const freshPath = (): string => join(dir, `d${++n}`, 'tasks.json');
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'umcp-task-store-shared-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('two stores on one file keep each other’s puts and deletes', async () => {
    const path = freshPath();
    const a = new FileTaskStore(path, { now: () => T0 });
    const b = new FileTaskStore(path, { now: () => T0 });
    // Both read the (empty) file first: each holds only its own records in memory.
    expect(await a.list()).toEqual([]);
    expect(await b.list()).toEqual([]);
    await Promise.all([
      ...Array.from({ length: 20 }, (_, i) => a.put(record(`a${i}`))),
      ...Array.from({ length: 20 }, (_, i) => b.put(record(`b${i}`))),
    ]);
    await Promise.all([a.delete('s', 'a0'), b.delete('s', 'b0'), b.put(record('b20'))]);
    const ids = (await new FileTaskStore(path, { now: () => T0 }).list()).map((r) => r.taskId).sort();
    const expected = [
      ...Array.from({ length: 19 }, (_, i) => `a${i + 1}`),
      ...Array.from({ length: 20 }, (_, i) => `b${i + 1}`),
    ].sort();
    expect(ids).toEqual(expected);
    // A delete by one store of a record it never read leaves the other's record alone.
    expect(await a.delete('s', 'b5')).toBe(false);
    expect(await new FileTaskStore(path).get('s', 'b5')).toEqual(record('b5'));
    expect(await readdir(join(path, '..'))).toEqual(['tasks.json']); // the lock file is gone
    expect((await stat(path)).mode & 0o777).toBe(0o600);
  });

  it('two processes putting 50 records each at once: all 100 are in the file', { timeout: 60_000 }, async () => {
    const path = freshPath();
    const codes = await Promise.all([putInChild(path, 'one-', 50), putInChild(path, 'two-', 50)]);
    expect(codes).toEqual([0, 0]);
    const ids = (await new FileTaskStore(path).list()).map((r) => r.taskId);
    expect(ids).toHaveLength(100);
    for (let i = 0; i < 50; i++) expect(ids).toEqual(expect.arrayContaining([`one-${i}`, `two-${i}`]));
  });

  it('takes over a lock left by a dead process, and one older than the stale age', async () => {
    const path = freshPath();
    const store = new FileTaskStore(path, { now: () => T0 });
    await store.put(record('first'));
    // A pid that cannot be alive (above Linux's largest pid_max, 4194304).
    await writeFile(`${path}.lock`, '2000000000\n', { mode: 0o600 });
    await store.put(record('dead-holder'));
    // A live pid (ours) but an old lock: a holder that hung.
    await writeFile(`${path}.lock`, `${process.pid}\n`, { mode: 0o600 });
    const old = (Date.now() - LOCK_STALE_MS - 5_000) / 1000;
    await utimes(`${path}.lock`, old, old);
    await store.put(record('old-lock'));
    const ids = (await new FileTaskStore(path, { now: () => T0 }).list()).map((r) => r.taskId);
    expect(ids).toEqual(['first', 'dead-holder', 'old-lock']);
    expect(await readdir(join(path, '..'))).toEqual(['tasks.json']);
  });

  it('a file made corrupt by someone else is CONFIG_INVALID at the next write, and left as it was', async () => {
    const path = freshPath();
    const store = new FileTaskStore(path, { now: () => T0 });
    await store.put(record('a'));
    await writeFile(path, '{"version":1,"tasks":[');
    await expect(store.put(record('b'))).rejects.toMatchObject({ code: ErrorCode.CONFIG_INVALID });
    expect(await readdir(join(path, '..'))).toEqual(['tasks.json']);
    // Fixed (removed): the next write carries the change that was refused as well.
    await rm(path);
    await store.put(record('c'));
    expect((await new FileTaskStore(path, { now: () => T0 }).list()).map((r) => r.taskId)).toEqual(['b', 'c']);
  });
});
