import { mkdtemp, readFile, readdir, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode } from '@universal-mcp/core';
import { FileTaskStore, MAX_TASKS_BYTES } from '../src/file-task-store.js';
import { MAX_TASK_ID_LENGTH, MemoryTaskStore, type TaskRecord, type TaskStore } from '../src/task-store.js';

const T0 = 1_800_000_000_000;

function record(taskId: string, more: Partial<TaskRecord> = {}): TaskRecord {
  return {
    id: `local-${taskId.slice(0, 200)}`,
    server: 's',
    taskId,
    era: '2026-07-28',
    tool: 'long_task',
    createdAt: T0,
    lastSeenAt: T0,
    expiresAt: null,
    status: 'working',
    ...more,
  };
}

/** The behaviour both stores share. */
function sharedBehaviour(make: (options: { now: () => number; maxRecords?: number }) => Promise<TaskStore>): void {
  it('puts, gets, replaces, lists by server and deletes', async () => {
    const store = await make({ now: () => T0 });
    await store.put(record('a', { label: 'mine' }));
    await store.put(record('b', { server: 'other' }));
    await store.put(record('a', { status: 'input_required', lastSeenAt: T0 + 5 }));
    expect(await store.get('s', 'a')).toEqual(record('a', { status: 'input_required', lastSeenAt: T0 + 5 }));
    expect(await store.get('other', 'a')).toBeUndefined();
    expect((await store.list()).map((r) => r.taskId)).toEqual(['b', 'a']);
    expect((await store.list('other')).map((r) => r.taskId)).toEqual(['b']);
    expect(await store.delete('s', 'a')).toBe(true);
    expect(await store.delete('s', 'a')).toBe(false);
    expect(await store.list()).toEqual([record('b', { server: 'other' })]);
  });

  it('keeps only the known fields: never arguments, results or other extras', async () => {
    const store = await make({ now: () => T0 });
    const extra = { ...record('x'), arguments: { password: 'p' }, result: { content: [] } };
    await store.put(extra as TaskRecord);
    expect(await store.get('s', 'x')).toEqual(record('x'));
  });

  it('refuses an out-of-bounds record with INVALID_RESULT, and a record past the maximum with QUEUE_FULL', async () => {
    let now = T0;
    const store = await make({ now: () => now, maxRecords: 2 });
    await expect(store.put(record('i'.repeat(MAX_TASK_ID_LENGTH + 1)))).rejects.toMatchObject({
      code: ErrorCode.INVALID_RESULT,
    });
    await expect(store.put(record('y', { status: 'done' as never }))).rejects.toMatchObject({
      code: ErrorCode.INVALID_RESULT,
    });
    await store.put(record('a', { expiresAt: T0 + 1000 }));
    await store.put(record('b'));
    await expect(store.put(record('c'))).rejects.toMatchObject({ code: ErrorCode.QUEUE_FULL });
    await store.put(record('b', { status: 'completed' })); // a replacement is not a new record
    now = T0 + 1000; // 'a' expires: its place is free
    await store.put(record('c'));
    expect((await store.list()).map((r) => r.taskId)).toEqual(['b', 'c']);
  });

  it('never returns an expired record', async () => {
    let now = T0;
    const store = await make({ now: () => now });
    await store.put(record('a', { expiresAt: T0 + 10 }));
    expect(await store.get('s', 'a')).toBeDefined();
    now = T0 + 10;
    expect(await store.get('s', 'a')).toBeUndefined();
    expect(await store.list()).toEqual([]);
  });

  it('keys by server and task id even for names like __proto__', async () => {
    const store = await make({ now: () => T0 });
    await store.put(record('constructor', { server: '__proto__' }));
    expect(await store.get('__proto__', 'constructor')).toEqual(record('constructor', { server: '__proto__' }));
    expect(await store.get('s', 'toString')).toBeUndefined();
  });
}

describe('MemoryTaskStore', () => {
  sharedBehaviour((options) => Promise.resolve(new MemoryTaskStore(options)));
});

describe('FileTaskStore', () => {
  let dir: string;
  let n = 0;
  const freshPath = (): string => join(dir, `d${++n}`, 'state', 'tasks.json');
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'umcp-task-store-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  sharedBehaviour((options) => Promise.resolve(new FileTaskStore(freshPath(), options)));

  it('writes the file 0600 in a 0700 directory, and a new store reads it back', async () => {
    const path = freshPath();
    const store = new FileTaskStore(path, { now: () => T0 });
    await store.put(record('a', { label: 'report', era: '2025-11-25' }));
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect((await stat(join(path, '..'))).mode & 0o777).toBe(0o700);
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual({
      version: 1,
      tasks: [record('a', { label: 'report', era: '2025-11-25' })],
    });
    const again = new FileTaskStore(path, { now: () => T0 });
    expect(await again.list()).toEqual([record('a', { label: 'report', era: '2025-11-25' })]);
  });

  it('drops expired records on load', async () => {
    const path = freshPath();
    const store = new FileTaskStore(path, { now: () => T0 });
    await store.put(record('old', { expiresAt: T0 + 5 }));
    await store.put(record('live', { expiresAt: T0 + 500 }));
    await store.put(record('forever'));
    const later = new FileTaskStore(path, { now: () => T0 + 5 });
    expect((await later.list()).map((r) => r.taskId)).toEqual(['live', 'forever']);
  });

  it('loses no record when many puts run at once', async () => {
    const path = freshPath();
    const store = new FileTaskStore(path, { now: () => T0 });
    const ids = Array.from({ length: 300 }, (_, i) => `t${i}`);
    await Promise.all(ids.map((id) => store.put(record(id))));
    const again = new FileTaskStore(path, { now: () => T0 });
    expect((await again.list()).map((r) => r.taskId).sort()).toEqual([...ids].sort());
    // Deletes and puts interleaved: the file ends as the store does.
    await Promise.all([store.delete('s', 't0'), store.put(record('late')), store.delete('s', 't1')]);
    const last = new FileTaskStore(path, { now: () => T0 });
    expect(await last.list()).toEqual(await store.list());
    expect(await readdir(join(path, '..'))).toEqual(['tasks.json']); // no temporary file left behind
  });

  it.each([
    ['not JSON', '{"version":1,"tasks":['],
    ['the wrong version', '{"version":2,"tasks":[]}'],
    ['tasks not an array', '{"version":1,"tasks":{}}'],
    ['a bad record', JSON.stringify({ version: 1, tasks: [{ ...record('a'), era: '1999' }] })],
    ['a hostile id', JSON.stringify({ version: 1, tasks: [record('x'.repeat(MAX_TASK_ID_LENGTH + 1))] })],
    ['too many records', JSON.stringify({ version: 1, tasks: [record('a'), record('b'), record('c')] })],
  ])('a file with %s is CONFIG_INVALID on every use, and is left as it was', async (_what, text) => {
    const path = join(dir, `bad${++n}.json`);
    await writeFile(path, text);
    const store = new FileTaskStore(path, { now: () => T0, maxRecords: 2 });
    await expect(store.list()).rejects.toMatchObject({ code: ErrorCode.CONFIG_INVALID });
    await expect(store.put(record('new'))).rejects.toMatchObject({
      code: ErrorCode.CONFIG_INVALID,
      details: { field: 'tasks', file: path },
    });
    expect(await readFile(path, 'utf8')).toBe(text);
  });

  it('refuses a huge file without reading it', async () => {
    const path = join(dir, 'huge.json');
    await writeFile(path, '');
    await truncate(path, MAX_TASKS_BYTES + 1);
    const store = new FileTaskStore(path);
    await expect(store.get('s', 'a')).rejects.toMatchObject({ code: ErrorCode.CONFIG_INVALID });
    expect((await stat(path)).size).toBe(MAX_TASKS_BYTES + 1);
  });
});
