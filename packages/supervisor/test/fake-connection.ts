import { vi } from 'vitest';
import { fromCallback, fromPromise } from 'xstate';
import type { Catalog, Tool } from '@universal-mcp/core';
import {
  connectionMachine,
  type ConnectInput,
  type ConnectionEvent,
  type DiscoverInput,
  type McpSession,
  type SessionListener,
  type WatchInput,
} from '@universal-mcp/core/internal';

// The connection machine with its actors swapped for controllable fakes: no process, no transport.
// These tests are about the supervisor's decisions; integration tests use real servers.

export const TOOLS: Tool[] = [
  { name: 'echo', inputSchema: { type: 'object', properties: { text: { type: 'string' } } } },
  { name: 'read', inputSchema: { type: 'object' }, annotations: { readOnlyHint: true } },
];
export const CATALOG: Catalog = { tools: TOOLS, invalidTools: [], resources: [], resourceTemplates: [], prompts: [] };

/** A fake session: answers `callTool` with what the test says. */
export interface FakeSession {
  close: ReturnType<typeof vi.fn>;
  closed: Promise<void>;
  callTool: ReturnType<typeof vi.fn>;
  capabilities: { tools: object };
  era: string;
  protocolVersion: string;
  /** Lists' freshness: a fake server never says. */
  freshness: () => undefined;
}

export interface FakeConnection {
  readonly machine: typeof connectionMachine;
  /** Pending connection attempts, oldest first: resolve one to hand out a session, reject it to fail. */
  readonly attempts: { resolve(): void; reject(err: unknown): void }[];
  readonly sessions: FakeSession[];
  /** Ends the live connection as its watcher would. */
  lose(event: ConnectionEvent): void;
  /** Answers the next `callTool`s with this. */
  answer: (tool: string, args: unknown) => Promise<unknown>;
  /** The era and revision the next sessions speak. @default 2025-11-25 */
  era: { era: string; protocolVersion: string };
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
      connect: fromPromise<McpSession, ConnectInput>(
        ({ input }) =>
          new Promise((resolve, reject) => {
            fake.listener = input.listener;
            let closed!: () => void;
            const session: FakeSession = {
              closed: new Promise((r) => (closed = r)),
              close: vi.fn(async () => closed()),
              freshness: () => undefined,
              // Like the SDK's: an aborted request rejects with the signal's reason.
              callTool: vi.fn((tool: string, args: unknown, options: { signal?: AbortSignal }) =>
                Promise.race([
                  fake.answer(tool, args),
                  new Promise((_resolve, reject) =>
                    options.signal?.addEventListener('abort', () => reject(options.signal?.reason), { once: true }),
                  ),
                ]),
              ),
              capabilities: { tools: {} },
              ...fake.era,
            };
            fake.attempts.push({
              resolve: () => {
                Object.assign(session, fake.era); // the era as it is when the attempt succeeds
                fake.sessions.push(session);
                input.listener?.created?.(session as unknown as McpSession);
                resolve(session as unknown as McpSession);
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
