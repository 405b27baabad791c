import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createActor, fromCallback, fromPromise } from 'xstate';
import type { Tool } from '@modelcontextprotocol/client';
import type { Catalog } from '../src/catalog.js';
import { connectionMachine } from '../src/connection-machine.js';
import type { ConnectionEvent, ConnectionInput, ConnectionState } from '../src/connection-types.js';
import { ErrorCode, UniversalMcpError } from '../src/errors.js';
import type { Session } from '../src/session-types.js';
import type { ConnectInput, DiscoverInput, WatchInput } from '../src/connection-actors.js';
import { stubSession } from './stub-session.js';

// The machine alone: its actors are swapped for controllable fakes (no process, no transport),
// because these tests are about transitions, not I/O. Integration tests use real servers.

const input: ConnectionInput = {
  config: { name: 'm', transport: 'stdio', command: 'unused' },
  connectTimeoutMs: 1000,
  health: { intervalMs: 0, timeoutMs: 1000, failuresBeforeRestart: 1 },
};
const tools: Tool[] = [{ name: 't', inputSchema: { type: 'object' } }];
const catalog: Catalog = { tools, invalidTools: [], resources: [], resourceTemplates: [], prompts: [] };

interface Harness {
  actor: ReturnType<typeof createActor<typeof connectionMachine>>;
  states: ConnectionState[];
  sessions: Session[];
  connect: { resolve(): void; reject(err: unknown): void }[];
  discover: { resolve(c: Catalog): void; reject(err: unknown): void }[];
  sendBack: ((e: ConnectionEvent) => void) | undefined;
  watchStops: number;
}

function harness(): Harness {
  const h: Harness = {
    actor: undefined as never,
    states: [],
    sessions: [],
    connect: [],
    discover: [],
    sendBack: undefined,
    watchStops: 0,
  };
  const machine = connectionMachine.provide({
    actors: {
      connect: fromPromise<Session, ConnectInput>(
        () =>
          new Promise((resolve, reject) => {
            const session = stubSession({ close: vi.fn(async () => undefined) });
            h.sessions.push(session);
            h.connect.push({ resolve: () => resolve(session), reject });
          }),
      ),
      discover: fromPromise<Catalog, DiscoverInput>(
        () => new Promise((resolve, reject) => h.discover.push({ resolve, reject })),
      ),
      watch: fromCallback<ConnectionEvent, WatchInput>(({ sendBack }) => {
        h.sendBack = sendBack;
        return () => {
          h.watchStops += 1;
        };
      }),
    },
  });
  h.actor = createActor(machine, { input });
  h.actor.subscribe((s) => {
    if (h.states.at(-1) !== s.value) h.states.push(s.value as ConnectionState);
  });
  h.actor.start();
  return h;
}

const flush = () => vi.advanceTimersByTimeAsync(0);
const lost = (): ConnectionEvent => ({
  type: 'connection.lost',
  error: new UniversalMcpError(ErrorCode.CONNECTION_LOST, 'lost', { exit: { code: null, signal: 'SIGKILL' } }),
});

describe('connection machine', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('goes connecting → initialized → ready and keeps the session and tools', async () => {
    const h = harness();
    expect(h.states).toEqual(['connecting']);
    h.connect[0]!.resolve();
    await flush();
    expect(h.states).toEqual(['connecting', 'initialized']);
    h.discover[0]!.resolve(catalog);
    await flush();
    expect(h.states).toEqual(['connecting', 'initialized', 'ready']);
    const ctx = h.actor.getSnapshot().context;
    expect(ctx.catalog).toEqual(catalog);
    expect(ctx.session).toBe(h.sessions[0]);
    expect(ctx.attempt).toBe(1);
    expect(ctx.connectedAt).toBeTypeOf('number');
    expect(h.sendBack).toBeTypeOf('function');
  });

  it('connecting → failed keeps the typed error and waits for the supervisor', async () => {
    const h = harness();
    h.connect[0]!.reject(new UniversalMcpError(ErrorCode.CONNECT_FAILED, 'no', { exit: { code: 3, signal: null } }));
    await flush();
    expect(h.states).toEqual(['connecting', 'failed']);
    const ctx = h.actor.getSnapshot().context;
    expect(ctx.error?.code).toBe(ErrorCode.CONNECT_FAILED);
    expect(ctx.error?.exit).toEqual({ code: 3, signal: null }); // the exit travels as a typed field of the error
    await vi.advanceTimersByTimeAsync(60_000);
    expect(h.states.at(-1)).toBe('failed'); // never reconnects on its own
  });

  it('maps a foreign connect error to CONNECT_FAILED', async () => {
    const h = harness();
    h.connect[0]!.reject(Object.assign(new Error('spawn x ENOENT'), { code: 'ENOENT' }));
    await flush();
    expect(h.actor.getSnapshot().context.error?.code).toBe(ErrorCode.CONNECT_FAILED);
  });

  it('initialized → failed when discovery fails, and the session is closed', async () => {
    const h = harness();
    h.connect[0]!.resolve();
    await flush();
    h.discover[0]!.reject(new UniversalMcpError(ErrorCode.TIMEOUT, 'slow'));
    await flush();
    expect(h.states).toEqual(['connecting', 'initialized', 'failed']);
    expect(h.actor.getSnapshot().context.reason).toMatch(/discovery failed/);
    expect(h.sessions[0]!.close).toHaveBeenCalledTimes(1);
    expect(h.actor.getSnapshot().context.session).toBeUndefined();
  });

  it('supervisor.restart ends a ready connection: failed with the reason, the session closed', async () => {
    const h = harness();
    h.connect[0]!.resolve();
    await flush();
    h.discover[0]!.resolve(catalog);
    await flush();
    h.actor.send({ type: 'supervisor.restart', reason: 'restart requested' });
    await flush();
    expect(h.states.slice(-2)).toEqual(['ready', 'failed']);
    expect(h.actor.getSnapshot().context).toMatchObject({
      reason: 'restart requested',
      error: { code: ErrorCode.CONNECTION_LOST },
    });
    expect(h.sessions[0]!.close).toHaveBeenCalledTimes(1);
    expect(h.watchStops).toBe(1);
  });

  it('a new supervisor.restart-after in restarting replaces the pending delay', async () => {
    const h = harness();
    h.connect[0]!.reject(new UniversalMcpError(ErrorCode.CONNECT_FAILED, 'no'));
    await flush();
    h.actor.send({ type: 'supervisor.restart-after', delayMs: 60_000 });
    await flush();
    expect(h.states.at(-1)).toBe('restarting');
    h.actor.send({ type: 'supervisor.restart-after', delayMs: 0 });
    await flush();
    expect(h.states.at(-1)).toBe('connecting');
    expect(h.actor.getSnapshot().context.attempt).toBe(2);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(h.connect).toHaveLength(2); // the old 60 s timer did not start a third attempt
  });

  it('ready → failed on connection.lost; the watcher is stopped and the session closed', async () => {
    const h = harness();
    h.connect[0]!.resolve();
    await flush();
    h.discover[0]!.resolve(catalog);
    await flush();
    h.sendBack!(lost());
    await flush();
    expect(h.states.slice(-2)).toEqual(['ready', 'failed']);
    expect(h.watchStops).toBe(1);
    expect(h.sessions[0]!.close).toHaveBeenCalledTimes(1);
    expect(h.actor.getSnapshot().context.error?.exit).toEqual({ code: null, signal: 'SIGKILL' });
  });

  it('failed → restarting on supervisor.restart-after, then connecting only after the delay', async () => {
    const h = harness();
    h.connect[0]!.reject(new Error('refused'));
    await flush();
    h.actor.send({ type: 'supervisor.restart-after', delayMs: 500 });
    await flush();
    expect(h.states.at(-1)).toBe('restarting');
    expect(h.actor.getSnapshot().context.reason).toBe('backoff 500 ms');
    await vi.advanceTimersByTimeAsync(499);
    expect(h.states.at(-1)).toBe('restarting');
    await vi.advanceTimersByTimeAsync(1);
    expect(h.states.at(-1)).toBe('connecting');
    expect(h.actor.getSnapshot().context.attempt).toBe(2);
    expect(h.connect).toHaveLength(2);
  });

  it('ignores supervisor.restart-after outside failed', async () => {
    const h = harness();
    h.actor.send({ type: 'supervisor.restart-after', delayMs: 0 });
    await flush();
    expect(h.states).toEqual(['connecting']);
  });

  it.each(['connecting', 'initialized', 'ready', 'failed', 'restarting'] as const)(
    'stops from %s and closes any session',
    async (from) => {
      const h = harness();
      if (from !== 'connecting') {
        if (from === 'failed' || from === 'restarting') h.connect[0]!.reject(new Error('x'));
        else h.connect[0]!.resolve();
        await flush();
        if (from === 'ready') {
          h.discover[0]!.resolve(catalog);
          await flush();
        }
        if (from === 'restarting') {
          h.actor.send({ type: 'supervisor.restart-after', delayMs: 1000 });
          await flush();
        }
      }
      expect(h.states.at(-1)).toBe(from);
      h.actor.send({ type: 'supervisor.stop', reason: 'bye' });
      await flush();
      expect(h.states.at(-1)).toBe('stopped');
      expect(h.actor.getSnapshot().status).toBe('done');
      expect(h.actor.getSnapshot().context.reason).toBe('bye');
      if (from === 'initialized' || from === 'ready') expect(h.sessions[0]!.close).toHaveBeenCalled();
      await vi.advanceTimersByTimeAsync(5000);
      expect(h.connect.length).toBeLessThanOrEqual(1); // a pending reconnect delay died with the stop
    },
  );

  it('emits catalog.changed when the watcher reports a refreshed list, keeping the other lists', async () => {
    const h = harness();
    const seen: { kind: string; tools: Tool[] }[] = [];
    h.actor.on('catalog.changed', (e) => seen.push({ kind: e.kind, tools: e.catalog.tools }));
    h.connect[0]!.resolve();
    await flush();
    h.discover[0]!.resolve({ ...catalog, prompts: [{ name: 'p' }] });
    await flush();
    const next: Tool[] = [...tools, { name: 'u', inputSchema: { type: 'object' } }];
    h.sendBack!({ type: 'connection.catalog', kind: 'tools', catalog: { tools: next } });
    await flush();
    expect(seen).toEqual([{ kind: 'tools', tools: next }]);
    expect(h.actor.getSnapshot().context.catalog.tools).toEqual(next);
    expect(h.actor.getSnapshot().context.catalog.prompts).toEqual([{ name: 'p' }]);
    expect(h.states.at(-1)).toBe('ready');
  });
});

describe('connection machine: the era verdict', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('keeps the verdict across reconnects; an era-shaped failure forgets it, a refusal keeps it', async () => {
    const priors: ConnectInput['prior'][] = [];
    const outcomes: ('ok' | 'refused' | 'stale')[] = ['ok', 'ok', 'refused', 'stale', 'ok'];
    const verdict = { kind: 'legacy' } as const;
    let sendBack: ((e: ConnectionEvent) => void) | undefined;
    const machine = connectionMachine.provide({
      actors: {
        connect: fromPromise<Session, ConnectInput>(async ({ input: connectInput }) => {
          priors.push(connectInput.prior);
          const outcome = outcomes[priors.length - 1];
          if (outcome === 'refused') throw new UniversalMcpError(ErrorCode.CONNECT_FAILED, 'refused');
          if (outcome === 'stale') throw new UniversalMcpError(ErrorCode.UNSUPPORTED_PROTOCOL_VERSION, 'not 2026');
          return stubSession({ verdict });
        }),
        discover: fromPromise<Catalog, DiscoverInput>(async () => catalog),
        watch: fromCallback<ConnectionEvent, WatchInput>(({ sendBack: s }) => {
          sendBack = s;
          return () => undefined;
        }),
      },
    });
    const actor = createActor(machine, { input }).start();
    const retry = async (): Promise<void> => {
      actor.send({ type: 'supervisor.restart-after', delayMs: 0 });
      await flush();
    };
    await flush();
    expect(actor.getSnapshot().value).toBe('ready');
    sendBack?.(lost());
    await flush();
    await retry(); // the second attempt connects with the kept verdict
    expect(actor.getSnapshot().value).toBe('ready');
    sendBack?.(lost());
    await flush();
    await retry(); // the third one used it too, and was refused: the server is away, not changed
    expect(actor.getSnapshot().value).toBe('failed');
    await retry(); // so the fourth uses it again, and hears the server speaks another era now
    expect(actor.getSnapshot().value).toBe('failed');
    await retry(); // so the fifth probes
    expect(priors).toEqual([undefined, verdict, verdict, verdict, undefined]);
    actor.stop();
  });
});
