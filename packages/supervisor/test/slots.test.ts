import { describe, expect, it } from 'vitest';
import { Slots } from '../src/slots.js';

/** A task that runs until released. */
function held<T>(value: T): { task: () => Promise<T>; release: () => void; started: () => boolean } {
  let release!: () => void;
  let started = false;
  const task = (): Promise<T> => {
    started = true;
    return new Promise<T>((resolve) => (release = () => resolve(value)));
  };
  return { task, release: () => release(), started: () => started };
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('Slots', () => {
  it('runs up to `concurrency` tasks at once and the rest in the order they came', async () => {
    const slots = new Slots(2);
    const tasks = [held('a'), held('b'), held('c'), held('d')];
    const results = tasks.map((t) => slots.add(t.task));
    expect(tasks.map((t) => t.started())).toEqual([true, true, false, false]);
    expect([slots.pending, slots.size]).toEqual([2, 2]);
    tasks[1]?.release();
    await tick();
    expect(tasks.map((t) => t.started())).toEqual([true, true, true, false]);
    tasks[0]?.release();
    tasks[2]?.release();
    await tick();
    expect(tasks[3]?.started()).toBe(true);
    tasks[3]?.release();
    await expect(Promise.all(results)).resolves.toEqual(['a', 'b', 'c', 'd']);
    expect([slots.pending, slots.size]).toEqual([0, 0]);
  });

  it('a task that fails, or throws before returning a promise, frees its slot', async () => {
    const slots = new Slots(1);
    await expect(slots.add(() => Promise.reject(new Error('no')))).rejects.toThrow('no');
    await expect(
      slots.add(() => {
        throw new Error('sync');
      }),
    ).rejects.toThrow('sync');
    await expect(slots.add(async () => 'next')).resolves.toBe('next');
    expect(slots.pending).toBe(0);
  });

  it('a raised limit starts waiting tasks at once', async () => {
    const slots = new Slots(1);
    const first = held(1);
    const second = held(2);
    void slots.add(first.task);
    void slots.add(second.task);
    expect(second.started()).toBe(false);
    slots.concurrency = 2;
    expect(second.started()).toBe(true);
    first.release();
    second.release();
  });

  it('a waiting task whose signal fires is rejected with the reason and never runs', async () => {
    const slots = new Slots(1);
    const first = held(1);
    void slots.add(first.task);
    const ac = new AbortController();
    let ran = false;
    const waiting = slots.add(
      async () => {
        ran = true;
      },
      { signal: ac.signal },
    );
    ac.abort(new Error('stop'));
    await expect(waiting).rejects.toThrow('stop');
    expect(slots.size).toBe(0);
    first.release();
    await tick();
    expect(ran).toBe(false);
    expect(slots.pending).toBe(0);
  });

  it('a running task whose signal fires settles with the reason and frees its slot', async () => {
    const slots = new Slots(1);
    const ac = new AbortController();
    const running = slots.add(() => new Promise<never>(() => undefined), { signal: ac.signal });
    ac.abort(new Error('gone'));
    await expect(running).rejects.toThrow('gone');
    await tick();
    expect(slots.pending).toBe(0);
    await expect(slots.add(async () => 'free')).resolves.toBe('free');
  });

  it('an already aborted signal rejects at once', async () => {
    const slots = new Slots(1);
    await expect(slots.add(async () => 1, { signal: AbortSignal.abort(new Error('early')) })).rejects.toThrow('early');
    expect(slots.pending).toBe(0);
  });

  it('clear() drops the waiting tasks; they never run', async () => {
    const slots = new Slots(1);
    const first = held(1);
    void slots.add(first.task);
    let ran = false;
    void slots.add(async () => {
      ran = true;
    });
    slots.clear();
    expect(slots.size).toBe(0);
    first.release();
    await tick();
    expect(ran).toBe(false);
  });

  it('keeps order through a long line (the head index is compacted)', async () => {
    const slots = new Slots(1);
    const order: number[] = [];
    const gate = held(undefined);
    void slots.add(gate.task);
    const all = Array.from({ length: 3000 }, (_, i) =>
      slots.add(async () => {
        order.push(i);
      }),
    );
    gate.release();
    await Promise.all(all);
    expect(order).toEqual(Array.from({ length: 3000 }, (_, i) => i));
  });
});
