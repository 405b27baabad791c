import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { askDetachOrCancel, Interrupts, type PromptTerminal } from '../src/interrupt-choice.js';
import { elapsedText, ProgressView, taskStatusLine } from '../src/progress.js';

// What `umcp call` shows of a task and asks on Ctrl-C, on a terminal and off one. The terminal is a stand-in
// (a real one needs a pty, which this machine's tests do not have); the child-process tests cover the rest.

/** A stream that records what is written; `tty` says whether it claims to be a terminal. */
function stream(tty: boolean): { stream: NodeJS.WriteStream; written: string[] } {
  const written: string[] = [];
  const s = { isTTY: tty, write: (text: string) => written.push(text) > 0 };
  return { stream: s as unknown as NodeJS.WriteStream, written };
}

/** A keyboard: a readable that takes raw mode, as a TTY's stdin does. */
function keyboard(): { terminal: PromptTerminal; raw: boolean[]; press: (key: string) => void; out: string[] } {
  const input = new PassThrough() as unknown as NodeJS.ReadStream & PassThrough;
  const raw: boolean[] = [];
  Object.assign(input, { isTTY: true, setRawMode: (on: boolean) => raw.push(on) });
  const { stream: output, written } = stream(true);
  return { terminal: { input, output }, raw, press: (key) => input.write(key), out: written };
}

const io = () => {
  const err: string[] = [];
  return { io: { out: () => undefined, err: (t: string) => void err.push(t) }, err };
};

afterEach(() => vi.useRealTimers());

describe('task status', () => {
  it('reads status · message · elapsed, the message made printable and cut', () => {
    expect(elapsedText(4_900)).toBe('4s');
    expect(elapsedText(125_000)).toBe('2m05s');
    expect(elapsedText(3_720_000)).toBe('1h02m');
    expect(taskStatusLine({ status: 'working', createdAt: 0 }, 3_000)).toBe('working · 3s');
    const line = taskStatusLine(
      { status: 'working', statusMessage: `step\x1b[2J ${'x'.repeat(500)}`, createdAt: 0 },
      0,
    );
    expect(line).toMatch(/^working · step\?\[2J x+… · 0s$/);
  });

  it('off a terminal: one line per change of status or message', () => {
    const { stream: s, written } = stream(false);
    const view = new ProgressView(s, () => 2_000);
    view.taskStatus({ status: 'working', createdAt: 0 });
    view.taskStatus({ status: 'working', createdAt: 0 });
    view.taskStatus({ status: 'working', statusMessage: 'half way', createdAt: 0 });
    view.done();
    view.taskStatus({ status: 'completed', createdAt: 0 });
    expect(written).toEqual(['task working · 2s\n', 'task working · half way · 2s\n']);
  });

  it('on a terminal: one line, redrawn as the time passes, cleared when done', () => {
    vi.useFakeTimers({ now: 0 });
    const { stream: s, written } = stream(true);
    const view = new ProgressView(s);
    view.taskStatus({ status: 'working', createdAt: 0 });
    vi.advanceTimersByTime(2_000);
    expect(written).toEqual(['\rworking · 0s\x1b[K', '\rworking · 1s\x1b[K', '\rworking · 2s\x1b[K']);
    view.done();
    vi.advanceTimersByTime(5_000);
    expect(written.slice(3)).toEqual(['\r\x1b[K']);
  });
});

describe('Ctrl-C on a task', () => {
  it('the question: d detaches, c or Ctrl-C again cancels; raw mode is left as it was', async () => {
    const k = keyboard();
    const detach = askDetachOrCancel(k.terminal, new AbortController().signal);
    k.press('x');
    k.press('D');
    await expect(detach).resolves.toBe('detach');
    const cancel = askDetachOrCancel(k.terminal, new AbortController().signal);
    k.press('\x03');
    await expect(cancel).resolves.toBe('cancel');
    expect(k.raw).toEqual([true, false, true, false]);
    expect(k.out.join('')).toMatch(/detach \(d.*\) or cancel \(c\)\?/);
  });

  it('before the task exists Ctrl-C cancels the call; once it runs a terminal is asked; again cancels', async () => {
    const signals = new EventEmitter();
    const early = new Interrupts('detach', io().io, undefined, signals);
    signals.emit('SIGINT');
    await expect(early.decided).resolves.toBe('cancel');
    expect(early.signal.aborted).toBe(true);
    early.close();

    const k = keyboard();
    const said = io();
    const asked = new Interrupts(undefined, said.io, k.terminal, signals);
    asked.taskStarted();
    signals.emit('SIGINT');
    expect(k.out.join('')).toMatch(/detach/);
    signals.emit('SIGINT'); // the second Ctrl-C, as a signal (not a key)
    await expect(asked.decided).resolves.toBe('cancel');
    expect(asked.signal.aborted).toBe(true);
    expect(said.err).toEqual(['umcp: cancelling the task…']);
    asked.close();
    expect(k.raw.at(-1)).toBe(false);
    expect(signals.listenerCount('SIGINT')).toBe(0);
  });

  it('off a terminal --on-interrupt decides (default cancel); a later Ctrl-C keeps a detached task', async () => {
    const signals = new EventEmitter();
    const byDefault = new Interrupts(undefined, io().io, undefined, signals);
    byDefault.taskStarted();
    signals.emit('SIGINT');
    await expect(byDefault.decided).resolves.toBe('cancel');
    byDefault.close();
    const detach = new Interrupts('detach', io().io, undefined, signals);
    detach.taskStarted();
    signals.emit('SIGINT');
    signals.emit('SIGINT');
    await expect(detach.decided).resolves.toBe('detach');
    expect(detach.signal.aborted).toBe(false);
    detach.close();
  });
});
