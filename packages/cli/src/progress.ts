import { printable } from './approval-prompt.js';
import { clip } from './render.js';

/** A task's state as the progress view shows it (a `TaskSnapshot` fits). */
export interface TaskStatusShown {
  readonly status: string;
  readonly statusMessage?: string | undefined;
  /** When the task started (epoch ms): the elapsed time counts from here. */
  readonly createdAt: number;
}

/** A duration as a person reads it: `4s`, `2m05s`, `1h02m`. */
export function elapsedText(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s}s`;
  const pad = (n: number): string => String(n).padStart(2, '0');
  if (s < 3600) return `${Math.floor(s / 60)}m${pad(s % 60)}s`;
  return `${Math.floor(s / 3600)}h${pad(Math.floor(s / 60) % 60)}m`;
}

/**
 * `status · statusMessage · elapsed`. The message is the server's text: one line, cut, without the
 * control characters that could rewrite the terminal.
 */
export function taskStatusLine(task: TaskStatusShown, now: number): string {
  const message = task.statusMessage === undefined ? '' : clip(printable(task.statusMessage), 120);
  return [task.status, message, elapsedText(now - task.createdAt)].filter((p) => p !== '').join(' · ');
}

/**
 * Shows a long call's progress and its task's status on stderr: one updating line on a terminal
 * (a spinner, a bar, or the task's status with a ticking elapsed time), plain lines otherwise.
 */
export class ProgressView {
  readonly #stream: NodeJS.WriteStream;
  readonly #tty: boolean;
  readonly #now: () => number;
  #spinner: NodeJS.Timeout | undefined;
  #ticker: NodeJS.Timeout | undefined;
  #frame = 0;
  #shown = false;
  #task: TaskStatusShown | undefined;
  #done = false;

  constructor(stream: NodeJS.WriteStream = process.stderr, now: () => number = Date.now) {
    this.#stream = stream;
    this.#tty = stream.isTTY === true;
    this.#now = now;
  }

  /** Starts a spinner (terminals only) until the first progress report. */
  start(label: string): void {
    if (!this.#tty) return;
    const frames = '⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏';
    this.#spinner = setInterval(() => {
      this.#stream.write(`\r${frames[this.#frame++ % frames.length]} ${label}`);
      this.#shown = true;
    }, 100);
  }

  update(progress: number, total: number | undefined, message: string | undefined): void {
    if (this.#done) return;
    if (!this.#tty) {
      this.#stream.write(
        `progress ${progress}${total === undefined ? '' : `/${total}`}${message ? ` ${message}` : ''}\n`,
      );
      return;
    }
    this.#stopTimers();
    const width = 30;
    const ratio = total === undefined || total === 0 ? undefined : Math.min(1, progress / total);
    const bar =
      ratio === undefined
        ? `${progress}`
        : `[${'#'.repeat(Math.round(ratio * width)).padEnd(width)}] ${Math.round(ratio * 100)}%`;
    this.#stream.write(`\r${bar}${message ? ` ${message}` : ''}\x1b[K`);
    this.#shown = true;
  }

  /**
   * A task's status: on a terminal the line is redrawn every second (the elapsed time ticks); otherwise a
   * line `task <status> · <message> · <elapsed>` whenever the status or the message changes.
   */
  taskStatus(task: TaskStatusShown): void {
    if (this.#done) return;
    const before = this.#task;
    this.#task = task;
    if (!this.#tty) {
      if (before?.status !== task.status || before.statusMessage !== task.statusMessage)
        this.#stream.write(`task ${taskStatusLine(task, this.#now())}\n`);
      return;
    }
    this.#stopTimers();
    this.#drawTask();
    this.#ticker = setInterval(() => this.#drawTask(), 1000);
  }

  #drawTask(): void {
    if (this.#task === undefined) return;
    this.#stream.write(`\r${taskStatusLine(this.#task, this.#now())}\x1b[K`);
    this.#shown = true;
  }

  #stopTimers(): void {
    if (this.#spinner !== undefined) clearInterval(this.#spinner);
    if (this.#ticker !== undefined) clearInterval(this.#ticker);
    this.#spinner = undefined;
    this.#ticker = undefined;
  }

  /** Clears the line and shows nothing more; call before printing the result or asking a question. */
  done(): void {
    this.#stopTimers();
    this.#done = true;
    if (this.#tty && this.#shown) this.#stream.write('\r\x1b[K');
    this.#shown = false;
  }
}
