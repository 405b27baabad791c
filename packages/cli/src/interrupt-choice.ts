// What Ctrl-C means while `umcp call` or `umcp tasks wait` follows a task: cancel it on the server, or
// detach (leave it running and exit). Once the task exists, a terminal asks; elsewhere `--on-interrupt`
// decides (default cancel). A second Ctrl-C always cancels.
import type { InterruptChoice } from './cli-args.js';
import type { Io } from './open-servers.js';

/** The terminal a question can be asked on (stdin in raw mode, one key). */
export interface PromptTerminal {
  readonly input: NodeJS.ReadStream;
  readonly output: NodeJS.WriteStream;
}

/**
 * Asks "detach (d) / cancel (c)" and resolves on the first key that answers: `d` detaches; `c`, and
 * Ctrl-C again, cancel. Other keys are ignored. `abort` (the caller's own ending) closes the question.
 */
export function askDetachOrCancel(terminal: PromptTerminal, abort: AbortSignal): Promise<InterruptChoice> {
  const { input, output } = terminal;
  output.write('\nThe task is still running: detach (d: leave it running, resume later) or cancel (c)? ');
  return new Promise((resolve) => {
    const end = (choice: InterruptChoice, said: string): void => {
      input.off('data', onKey);
      abort.removeEventListener('abort', onAbort);
      input.setRawMode(false);
      input.pause();
      output.write(`${said}\n`);
      resolve(choice);
    };
    const onKey = (chunk: Buffer): void => {
      const key = chunk.toString('utf8').toLowerCase();
      // In raw mode Ctrl-C is a byte (\x03), not a SIGINT: it is the second Ctrl-C.
      if (key.includes('c') || key.includes('\x03')) end('cancel', 'cancel');
      else if (key.includes('d')) end('detach', 'detach');
    };
    // Closed from outside (a second SIGINT, or the task ended first): the caller has decided already.
    const onAbort = (): void => end('cancel', '');
    abort.addEventListener('abort', onAbort, { once: true });
    input.setRawMode(true);
    input.resume();
    input.on('data', onKey);
  });
}

/**
 * Owns the command's SIGINT listener. Before a task exists Ctrl-C cancels the call (the signal aborts:
 * there is nothing to detach from); once {@link taskStarted} is called it decides as said above.
 */
export class Interrupts {
  readonly #cancel = new AbortController();
  /** Closes an open question: once decided, or when the command ends. */
  readonly #question = new AbortController();
  #closed = false;
  readonly #choice: InterruptChoice | undefined;
  readonly #terminal: PromptTerminal | undefined;
  readonly #io: Io;
  readonly #signals: NodeJS.EventEmitter;
  #task = false;
  #beforeAsking: () => void = () => undefined;
  #asking = false;
  #ended = false;
  #decide!: (choice: InterruptChoice) => void;
  /** Resolves with what an interrupt decided (never, without one). */
  readonly decided: Promise<InterruptChoice>;

  /**
   * `choice`: `--on-interrupt` (undefined: ask where `terminal` is given, else cancel). `terminal`: stdin
   * and stderr when both are terminals. `signals`: where SIGINT comes from (tests give their own).
   */
  constructor(
    choice: InterruptChoice | undefined,
    io: Io,
    terminal: PromptTerminal | undefined,
    signals: NodeJS.EventEmitter = process,
  ) {
    this.#choice = choice;
    this.#io = io;
    this.#terminal = terminal;
    this.#signals = signals;
    this.decided = new Promise((resolve) => (this.#decide = resolve));
    signals.on('SIGINT', this.#onSigint);
  }

  /** Aborts when Ctrl-C cancels: pass it as the call's signal. */
  get signal(): AbortSignal {
    return this.#cancel.signal;
  }

  /** The server made a task: from now on Ctrl-C may detach. `beforeAsking`: clear the terminal's status line. */
  taskStarted(beforeAsking: () => void = () => undefined): void {
    this.#task = true;
    this.#beforeAsking = beforeAsking;
  }

  readonly #onSigint = (): void => {
    // Decided: a detached task is not cancelled by a late Ctrl-C, a cancel is under way.
    if (this.#ended) return;
    if (!this.#task || this.#asking || this.#cancel.signal.aborted) return this.#end('cancel');
    const terminal = this.#terminal;
    if (this.#choice !== undefined || terminal === undefined) return this.#end(this.#choice ?? 'cancel');
    this.#asking = true;
    this.#beforeAsking();
    void askDetachOrCancel(terminal, this.#question.signal).then((answer) => {
      if (!this.#closed) this.#end(answer);
    });
  };

  #end(choice: InterruptChoice): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#question.abort();
    if (choice === 'cancel') {
      this.#io.err(this.#task ? 'umcp: cancelling the task…' : 'umcp: cancelling the call…');
      this.#cancel.abort();
    }
    this.#decide(choice);
  }

  /** Stops listening (and closes a question still open). */
  close(): void {
    this.#signals.off('SIGINT', this.#onSigint);
    this.#closed = true;
    this.#question.abort();
  }
}

/** stdin and stderr, when both are terminals: where the question can be asked. */
export function promptTerminal(): PromptTerminal | undefined {
  return process.stdin.isTTY === true && process.stderr.isTTY === true
    ? { input: process.stdin, output: process.stderr }
    : undefined;
}
