/** Shows a long call's progress on stderr: a bar on a terminal, plain lines otherwise. */
export class ProgressView {
  readonly #stream: NodeJS.WriteStream;
  readonly #tty: boolean;
  #spinner: NodeJS.Timeout | undefined;
  #frame = 0;
  #shown = false;

  constructor(stream: NodeJS.WriteStream = process.stderr) {
    this.#stream = stream;
    this.#tty = stream.isTTY === true;
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
    if (!this.#tty) {
      this.#stream.write(
        `progress ${progress}${total === undefined ? '' : `/${total}`}${message ? ` ${message}` : ''}\n`,
      );
      return;
    }
    this.#stopSpinner();
    const width = 30;
    const ratio = total === undefined || total === 0 ? undefined : Math.min(1, progress / total);
    const bar =
      ratio === undefined
        ? `${progress}`
        : `[${'#'.repeat(Math.round(ratio * width)).padEnd(width)}] ${Math.round(ratio * 100)}%`;
    this.#stream.write(`\r${bar}${message ? ` ${message}` : ''}\x1b[K`);
    this.#shown = true;
  }

  #stopSpinner(): void {
    if (this.#spinner !== undefined) clearInterval(this.#spinner);
    this.#spinner = undefined;
  }

  /** Clears the line; call before printing the result. */
  done(): void {
    this.#stopSpinner();
    if (this.#tty && this.#shown) this.#stream.write('\r\x1b[K');
  }
}
