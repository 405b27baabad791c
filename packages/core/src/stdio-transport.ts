import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { JSONRPCMessage, Transport } from '@modelcontextprotocol/client';
import { getDefaultEnvironment } from '@modelcontextprotocol/client/stdio';
import { LineSplitter, type OverflowInfo } from './line-splitter.js';
import { MESSAGE_TOO_LARGE_RPC_CODE } from './errors.js';
import { admit, checkMessage, topLevelKeys } from './json-rpc-shape.js';
import { findMessageId } from './message-limit.js';
import type { ProcessExit } from './process-exit.js';

/** Options for {@link StdioProcessTransport}. */
export interface StdioProcessTransportOptions {
  readonly command: string;
  readonly args?: readonly string[] | undefined;
  /** Added to the SDK's minimal default environment (PATH, HOME, …), never the full host env. */
  readonly env?: Readonly<Record<string, string>> | undefined;
  readonly cwd?: string | undefined;
  /**
   * The largest message accepted from the server, in bytes.
   * @default 16 MiB
   */
  readonly maxMessageBytes?: number | undefined;
  /**
   * How long to wait after closing stdin, and again after SIGTERM, before escalating.
   * @default 1500
   */
  readonly killGraceMs?: number | undefined;
  /** Told each line the server writes to stderr (stderr is captured, never inherited). */
  readonly listener?: { stderr?(line: string): void } | undefined;
}

const DEFAULT_MAX_MESSAGE = 16 * 1024 * 1024;
const SENT = Promise.resolve();
const MAX_STDERR_LINE = 8 * 1024;
/** How long stdout may be closed before the process exits, before a closed stdout counts as the end. */
const STDOUT_CLOSED_GRACE_MS = 100;

/** A spawn failure that says what to fix: the missing command (and the PATH searched), the missing cwd. */
function spawnError(
  err: NodeJS.ErrnoException,
  command: string,
  cwd: string | undefined,
  path: string | undefined,
): Error {
  let message = err.message;
  if (err.code === 'ENOENT') {
    if (cwd !== undefined && !existsSync(cwd)) message = `working directory does not exist: ${cwd}`;
    else if (command.includes('/'))
      message = `no such file: ${command}${cwd === undefined ? '' : ` (relative to ${cwd})`}`;
    else message = `command not found: ${command} (searched PATH=${path ?? ''})`;
  } else if (err.code === 'EACCES') {
    message = `permission denied: ${command} (not executable${cwd === undefined ? '' : `, or ${cwd} not accessible`})`;
  }
  return Object.assign(new Error(message, { cause: err }), { code: err.code });
}

/**
 * The SDK `Transport` for a child process, replacing the SDK's `StdioClientTransport` where it
 * falls short: the child runs in its own process group and the whole group is ended on close
 * (wrapper shells and their grandchildren included); stderr is captured, not inherited; exit
 * code and signal are kept; framing is linear in message size; and `onclose` fires as soon as
 * the connection is gone, so the SDK rejects in-flight requests at once instead of after the
 * kill ladder.
 */
export class StdioProcessTransport implements Transport {
  onclose?: (() => void) | undefined;
  onerror?: ((error: Error) => void) | undefined;
  onmessage?: ((message: JSONRPCMessage) => void) | undefined;

  readonly #options: StdioProcessTransportOptions;
  #child: ChildProcessWithoutNullStreams | undefined;
  #exit: ProcessExit | undefined;
  #stdoutClosed = false;
  #closeNotified = false;
  #corked = false;
  #closing: Promise<void> | undefined;
  readonly #exited: Promise<ProcessExit>;
  #resolveExited!: (exit: ProcessExit) => void;

  constructor(options: StdioProcessTransportOptions) {
    this.#options = options;
    this.#exited = new Promise((resolve) => (this.#resolveExited = resolve));
  }

  /**
   * Always null (stderr goes to the listener). It is here so that the SDK's era probe sees a stdio
   * transport (`'stderr' in t && 'pid' in t`): a silent server is then a legacy one, not an outage.
   */
  readonly stderr = null;

  /** The child's pid once started. */
  get pid(): number | undefined {
    return this.#child?.pid;
  }

  /** How the child ended, once it has. */
  get exit(): ProcessExit | undefined {
    return this.#exit;
  }

  /** True when the connection ended because the server closed its stdout while it kept running. */
  get stdoutClosed(): boolean {
    return this.#stdoutClosed;
  }

  /** Resolves when the child process has exited. */
  get exited(): Promise<ProcessExit> {
    return this.#exited;
  }

  start(): Promise<void> {
    if (this.#child !== undefined) throw new Error('StdioProcessTransport already started');
    const { command, args = [], env, cwd } = this.#options;
    const fullEnv = { ...getDefaultEnvironment(), ...env };
    const child = spawn(command, [...args], {
      env: fullEnv,
      cwd,
      stdio: ['pipe', 'pipe', 'pipe'],
      // Its own process group, so that close() can end wrapper shells' children too.
      detached: process.platform !== 'win32',
      windowsHide: true,
      shell: false,
    });
    this.#child = child;
    return new Promise<void>((resolve, reject) => {
      child.once('error', (err) => {
        if (child.pid === undefined) {
          this.#resolveExited({ code: null, signal: null });
          reject(spawnError(err, command, cwd, fullEnv.PATH));
          return;
        }
        this.onerror?.(err);
      });
      child.once('spawn', () => {
        this.#wire(child);
        resolve();
      });
    });
  }

  #wire(child: ChildProcessWithoutNullStreams): void {
    const maxBytes = this.#options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE;
    const stdout = new LineSplitter(
      maxBytes,
      (line) => this.#onLine(line),
      (info) => this.#onOverflow(info, maxBytes),
    );
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    const listener = this.#options.listener;
    if (listener?.stderr !== undefined) {
      const stderr = new LineSplitter(
        MAX_STDERR_LINE,
        (line) => listener.stderr?.(line.toString('utf8').trimEnd()),
        () => undefined,
      );
      child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    } else {
      child.stderr.resume();
    }
    // EPIPE on a dead child's stdin is reported by 'exit'; keep it from becoming an uncaught error.
    child.stdin.on('error', () => undefined);
    // A server that closes stdout but lives on can answer nothing more: that is the end of the
    // connection. Its exit usually follows at once, and then the exit is the better reason.
    let stdoutGrace: NodeJS.Timeout | undefined;
    child.stdout.once('end', () => {
      if (this.#exit !== undefined) return;
      stdoutGrace = setTimeout(() => {
        if (this.#exit !== undefined) return;
        this.#stdoutClosed = true;
        this.#notifyClose();
      }, STDOUT_CLOSED_GRACE_MS);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(stdoutGrace);
      this.#exit = { pid: child.pid, code, signal };
      this.#resolveExited(this.#exit);
      // Let the last lines already in the pipe be read before declaring the connection gone.
      if (child.stdout.readableEnded) this.#notifyClose();
      else {
        const timer = setTimeout(() => this.#notifyClose(), 50);
        child.stdout.once('end', () => {
          clearTimeout(timer);
          this.#notifyClose();
        });
      }
    });
  }

  #onLine(line: Buffer): void {
    if (line.length === 0 || (line.length === 1 && line[0] === 0x0d)) return;
    const text = line.toString('utf8');
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch (err) {
      // A half line with no newline glues onto the next message: find the message at its end.
      const recovered = recoverGluedMessage(text);
      this.onerror?.(new Error(`Server wrote a line that is not JSON: ${text.slice(0, 120)}`, { cause: err }));
      if (recovered !== undefined) this.onmessage?.(recovered);
      return;
    }
    // A batch (JSON-RPC 2.0, MCP 2025-03-26): each member on its own, never the whole dropped.
    if (Array.isArray(message)) for (const member of message) this.#dispatch(member, text);
    else this.#dispatch(message, text);
  }

  /**
   * A structural check instead of a zod parse per message (see {@link admit}): the Protocol
   * dispatches on these fields, and a malformed answer settles its request now.
   */
  #dispatch(message: unknown, text: string): void {
    const { deliver, problem } = admit(message);
    if (problem !== undefined)
      this.onerror?.(new Error(`Server wrote a malformed JSON-RPC message (${problem}): ${text.slice(0, 120)}`));
    if (deliver !== undefined) this.onmessage?.(deliver);
  }

  /**
   * An overlong message is dropped. If it was an answer and its id can be found, that request fails
   * now with MESSAGE_TOO_LARGE; if it was a request from the server, the server is told it was too
   * large (and no pending call of ours is touched, whatever its id).
   */
  #onOverflow(info: OverflowInfo, maxBytes: number): void {
    const head = info.head.toString('utf8');
    const id = findMessageId(head, info.tail.toString('utf8'));
    const message = `Message from server is ${info.bytes} bytes, over the ${maxBytes}-byte limit (maxMessageBytes)`;
    this.onerror?.(Object.assign(new Error(message), { code: 'MESSAGE_TOO_LARGE' }));
    if (id === undefined) return;
    const keys = topLevelKeys(head);
    if (keys.includes('method') || keys.includes('params')) {
      // Best effort: a server that cannot take the refusal is gone; onerror above has said what happened.
      void this.send({
        jsonrpc: '2.0',
        id,
        error: { code: -32600, message: `request too large for this client: ${message}` },
      }).catch(() => undefined);
      return;
    }
    this.onmessage?.({
      jsonrpc: '2.0',
      id,
      error: { code: MESSAGE_TOO_LARGE_RPC_CODE, message, data: { bytes: info.bytes, maxBytes } },
    });
  }

  send(message: JSONRPCMessage): Promise<void> {
    const child = this.#child;
    if (child === undefined || this.#closeNotified || !child.stdin.writable)
      return Promise.reject(new Error('Not connected'));
    // Messages sent in one tick (32 calls in flight, a burst of cancellations) go out in one write.
    if (!this.#corked) {
      this.#corked = true;
      child.stdin.cork();
      process.nextTick(this.#uncork, child);
    }
    if (child.stdin.write(JSON.stringify(message) + '\n')) return SENT;
    return new Promise((resolve) => child.stdin.once('drain', resolve));
  }

  readonly #uncork = (child: ChildProcessWithoutNullStreams): void => {
    this.#corked = false;
    child.stdin.uncork();
  };

  #notifyClose(): void {
    if (this.#closeNotified) return;
    this.#closeNotified = true;
    this.onclose?.();
  }

  /**
   * Ends the connection at once (in-flight requests are rejected now), then ends the process
   * group: stdin EOF, `killGraceMs`, SIGTERM, `killGraceMs`, SIGKILL. Resolves when it is gone.
   */
  close(): Promise<void> {
    this.#closing ??= this.#shutdown();
    return this.#closing;
  }

  async #shutdown(): Promise<void> {
    this.#notifyClose();
    const child = this.#child;
    if (child === undefined || child.pid === undefined) return;
    const grace = this.#options.killGraceMs ?? 1500;
    child.stdin.end();
    if (this.#exit === undefined && !(await this.#waitExit(grace))) {
      this.#signal('SIGTERM');
      if (!(await this.#waitExit(grace))) {
        this.#signal('SIGKILL');
        await this.#waitExit(grace);
      }
    }
    // The direct child is gone; a wrapper's grandchildren may not be. End the rest of the group.
    this.#signal('SIGKILL');
    child.stdout.destroy();
    child.stderr.destroy();
  }

  #signal(signal: NodeJS.Signals): void {
    const pid = this.#child?.pid;
    if (pid === undefined) return;
    try {
      if (process.platform === 'win32') this.#child?.kill(signal);
      else process.kill(-pid, signal);
    } catch {
      // ESRCH: the group is already gone.
    }
  }

  async #waitExit(ms: number): Promise<boolean> {
    if (this.#exit !== undefined) return true;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<false>((resolve) => (timer = setTimeout(resolve, ms, false)));
    const done = await Promise.race([this.#exited.then(() => true as const), timedOut]);
    clearTimeout(timer);
    return done;
  }
}

function isJsonRpc(message: unknown): message is JSONRPCMessage {
  return checkMessage(message).ok;
}

const MAX_RECOVERY_TRIES = 8;

/** Tries the last few `{` positions of a garbled line for a whole JSON-RPC message. */
function recoverGluedMessage(text: string): JSONRPCMessage | undefined {
  let at = text.length;
  for (let tries = 0; tries < MAX_RECOVERY_TRIES; tries += 1) {
    at = text.lastIndexOf('{"', at - 1);
    if (at <= 0) return undefined;
    try {
      const candidate: unknown = JSON.parse(text.slice(at));
      if (isJsonRpc(candidate)) return candidate;
    } catch {
      // not a message start; try an earlier brace
    }
  }
  return undefined;
}
