import { vi, type Mock } from 'vitest';
import { fromCallback, fromPromise } from 'xstate';
import type {
  CallToolResult,
  Catalog,
  CompleteResult,
  GetPromptResult,
  ProtocolEra,
  ReadResourceResult,
  ServerCapabilities,
  Tool,
} from '@universal-mcp/core';
import {
  connectionMachine,
  type ConnectInput,
  type ConnectionEvent,
  type DiscoverInput,
  type RequestOptions,
  type Session,
  type SessionListener,
  type ToolList,
  type WatchInput,
} from '@universal-mcp/core/internal';

// The connection machine with its actors swapped for controllable fakes: no process, no transport.
// These tests are about the supervisor's decisions; integration tests use real servers.

export const TOOLS: Tool[] = [
  { name: 'echo', inputSchema: { type: 'object', properties: { text: { type: 'string' } } } },
  { name: 'read', inputSchema: { type: 'object' }, annotations: { readOnlyHint: true } },
];
export const CATALOG: Catalog = { tools: TOOLS, invalidTools: [], resources: [], resourceTemplates: [], prompts: [] };

/** What a fake session answers a tool call with. */
export type Answer = (tool: string, args: unknown) => Promise<CallToolResult>;

/** A request these tests never make of a session: failing loudly beats answering something made up. */
const notServed = (method: string): Promise<never> =>
  Promise.reject(new Error(`the fake session does not serve ${method}`));

/** A fake session: answers `callTool` with what the test says; its catalog is {@link CATALOG}. */
export class FakeSession implements Session {
  readonly server = 'fake';
  readonly closed: Promise<void>;
  readonly close: Mock<() => Promise<void>>;
  readonly callTool: Mock<(tool: string, args: unknown, options: RequestOptions) => Promise<CallToolResult>>;
  readonly capabilities: ServerCapabilities = { tools: {} };
  era: ProtocolEra;
  protocolVersion: string;
  readonly verdict = undefined;
  readonly instructions = undefined;
  readonly sessionId = undefined;
  readonly serverVersion = undefined;
  readonly pid = undefined;
  readonly exit = undefined;

  constructor(answer: () => Answer, era: FakeConnection['era']) {
    let resolveClosed!: () => void;
    this.closed = new Promise((resolve) => (resolveClosed = resolve));
    this.close = vi.fn(async () => resolveClosed());
    // Like the SDK's: an aborted request rejects with the signal's reason.
    this.callTool = vi.fn((tool: string, args: unknown, options: RequestOptions) =>
      Promise.race([
        answer()(tool, args),
        new Promise<never>((_resolve, reject) =>
          options.signal?.addEventListener('abort', () => reject(options.signal?.reason), { once: true }),
        ),
      ]),
    );
    this.era = era.era;
    this.protocolVersion = era.protocolVersion;
  }

  /** Lists' freshness: a fake server never says. */
  freshness(): undefined {
    return undefined;
  }

  watch(): () => void {
    return () => undefined;
  }

  async listCatalog(): Promise<Partial<Catalog>> {
    return CATALOG;
  }

  async listTools(): Promise<ToolList> {
    return { tools: TOOLS, invalid: [], warnings: [] };
  }

  readResource(): Promise<ReadResourceResult> {
    return notServed('resources/read');
  }

  subscribeResource(): Promise<void> {
    return Promise.resolve(); // accepted: a fake server keeps nothing
  }

  unsubscribeResource(): Promise<void> {
    return Promise.resolve(); // accepted: a fake server keeps nothing
  }

  getPrompt(): Promise<GetPromptResult> {
    return notServed('prompts/get');
  }

  complete(): Promise<CompleteResult> {
    return notServed('completion/complete');
  }

  setLoggingLevel(): Promise<void> {
    return Promise.resolve(); // accepted: a fake server keeps nothing
  }

  rootsChanged(): Promise<void> {
    return Promise.resolve(); // accepted: a fake server keeps nothing
  }

  ping(): Promise<void> {
    return Promise.resolve(); // accepted: a fake server keeps nothing
  }

  /** A fake server makes no tasks. */
  readonly tasks = false;

  startTool(): Promise<never> {
    return notServed('tools/call (startTool)');
  }

  getTask(): Promise<never> {
    return notServed('tasks/get');
  }

  updateTask(): Promise<never> {
    return notServed('tasks/update');
  }

  answerTask(): Promise<never> {
    return notServed('tasks/update (answerTask)');
  }

  cancelTask(): Promise<never> {
    return notServed('tasks/cancel');
  }
}

export interface FakeConnection {
  readonly machine: typeof connectionMachine;
  /** Pending connection attempts, oldest first: resolve one to hand out a session, reject it to fail. */
  readonly attempts: { resolve(): void; reject(err: unknown): void }[];
  readonly sessions: FakeSession[];
  /** Ends the live connection as its watcher would. */
  lose(event: ConnectionEvent): void;
  /** Answers the next `callTool`s with this. */
  answer: Answer;
  /** The era and revision the next sessions speak. @default 2025-11-25 */
  era: { era: ProtocolEra; protocolVersion: string };
  /** What the last connection attempt was told to report to. */
  listener: SessionListener | undefined;
}

export function fakeConnection(): FakeConnection {
  let sendBack: ((e: ConnectionEvent) => void) | undefined;
  const fake: FakeConnection = {
    machine: undefined as never,
    attempts: [],
    sessions: [],
    lose: (event) => sendBack?.(event),
    answer: async (_tool, args) => ({ content: [{ type: 'text', text: JSON.stringify(args) }] }),
    era: { era: '2025-11-25', protocolVersion: '2025-11-25' },
    listener: undefined,
  };
  (fake as { machine: typeof connectionMachine }).machine = connectionMachine.provide({
    actors: {
      connect: fromPromise<Session, ConnectInput>(
        ({ input }) =>
          new Promise((resolve, reject) => {
            fake.listener = input.listener;
            const session = new FakeSession(() => fake.answer, fake.era);
            fake.attempts.push({
              resolve: () => {
                Object.assign(session, fake.era); // the era as it is when the attempt succeeds
                fake.sessions.push(session);
                input.listener?.created?.(session);
                resolve(session);
              },
              reject,
            });
          }),
      ),
      discover: fromPromise<Catalog, DiscoverInput>(async () => CATALOG),
      watch: fromCallback<ConnectionEvent, WatchInput>(({ sendBack: send }) => {
        sendBack = send;
        return () => {
          sendBack = undefined;
        };
      }),
    },
  });
  return fake;
}

/** Lets promises and zero-delay timers run (fake timers on). */
export const flush = async (): Promise<void> => {
  await vi.advanceTimersByTimeAsync(0);
};
