import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EndedTasks, MAX_ENDED_TASKS } from '../src/task-end.js';
import { TaskEntry, type TaskStart } from '../src/task-record.js';
import { TaskSchedule } from '../src/task-schedule.js';

// The bounds of what a client keeps of ended tasks, and the schedule's one timer with far-off times.

function completed(id: string, chars: number): TaskEntry {
  const start: TaskStart = {
    id,
    server: 'a',
    tool: 'echo',
    taskId: `t-${id}`,
    era: '2026-07-28',
    createdAt: 0,
    input: 'manual',
  };
  const entry = new TaskEntry(start, 0);
  entry.end('completed', { content: [{ type: 'text', text: 'x'.repeat(chars) }] });
  return entry;
}

describe('EndedTasks', () => {
  it('keeps results up to a total size, dropping (and reporting) the oldest first', () => {
    const dropped: string[] = [];
    const ended = new EndedTasks((e) => dropped.push(e.id), 2_500);
    for (const id of ['a', 'b', 'c']) ended.add(completed(id, 1_000));
    expect(dropped).toEqual(['a']);
    expect(ended.values().map((e) => e.id)).toEqual(['b', 'c']);
    expect(ended.get('a')).toBeUndefined();
  });

  it(`keeps at most ${MAX_ENDED_TASKS} tasks`, () => {
    const dropped: string[] = [];
    const ended = new EndedTasks((e) => dropped.push(e.id));
    for (let i = 0; i <= MAX_ENDED_TASKS; i += 1) ended.add(completed(String(i), 1));
    expect(dropped).toEqual(['0']);
  });
});

describe('TaskSchedule', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('a time past 2^31-1 ms away arms one timer, not one every millisecond, and it does not hold the process', () => {
    const due: string[] = [];
    const schedule = new TaskSchedule((key) => due.push(key));
    const arming = vi.spyOn(globalThis, 'setTimeout');
    schedule.set('far', Date.now() + 30 * 24 * 3_600_000); // a 30-day deadline
    vi.advanceTimersByTime(1_000);
    expect(arming.mock.calls.length).toBe(1);
    const timer = arming.mock.results[0]!.value as NodeJS.Timeout;
    expect(timer.hasRef()).toBe(false);
    vi.advanceTimersByTime(30 * 24 * 3_600_000);
    expect(due).toEqual(['far']);
    arming.mockRestore();
    schedule.close();
  });
});
