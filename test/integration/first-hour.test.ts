import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { pino } from 'pino';
import {
  ErrorCode,
  UniversalMcpClient,
  type CallEndEvent,
  type CallStartEvent,
  type UniversalMcpError,
} from '@universal-mcp/supervisor';
import { FIXTURE, eventually, fixtureStdio } from '../helpers/servers.js';

/** A pino logger whose lines land in an array. */
function capture(level = 'debug'): { logger: pino.Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n'))
        if (line !== '') lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { logger: pino({ level }, stream), lines };
}

/** The fixture as a host config file writes it. */
const entry = () => ({ command: process.execPath, args: [FIXTURE, 'stdio'] });

const crashing = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  transport: 'stdio' as const,
  command: process.execPath,
  args: ['-e', 'process.exit(3)'],
  backoff: { initialDelayMs: 20, maxDelayMs: 50 },
  ...extra,
});

/**
 * A stdio server that answers a tool call only once the client has given up on it: told `notifications/cancelled`, it
 * sends the call's progress, then its result.
 */
const LATE_SERVER = `
const send = (m) => process.stdout.write(JSON.stringify({ jsonrpc: '2.0', ...m }) + '\\n');
const calls = new Map();
require('node:readline').createInterface({ input: process.stdin }).on('line', (line) => {
  const msg = JSON.parse(line);
  if (msg.method === 'notifications/cancelled') {
    const call = calls.get(msg.params.requestId);
    send({ method: 'notifications/progress', params: { progressToken: call.progressToken, progress: 1, total: 2 } });
    return send({ id: call.id, result: { content: [{ type: 'text', text: 'late' }] } });
  }
  if (msg.id === undefined) return;
  if (msg.method === 'initialize')
    return send({ id: msg.id, result: { protocolVersion: msg.params.protocolVersion, capabilities: { tools: {} },
      serverInfo: { name: 'late', version: '0.0.1' } } });
  if (msg.method === 'tools/list')
    return send({ id: msg.id, result: { tools: [{ name: 'slow', inputSchema: { type: 'object' } }] } });
  if (msg.method === 'tools/call')
    return calls.set(msg.id, { id: msg.id, progressToken: msg.params._meta.progressToken });
  send({ id: msg.id, result: {} });
});`;

describe('what a new user trips on in the first hour', () => {
  let client: UniversalMcpClient;
  afterEach(async () => {
    await client.close();
  });

  describe('waiting for servers', () => {
    it('whenReady waits for the named servers; fromConfig with waitForReady: false does not', async () => {
      client = await UniversalMcpClient.fromConfig({ mcpServers: { a: entry(), b: entry() } }, { waitForReady: false });
      expect(client.getServerInfo('a')!.state).not.toBe('ready');
      await client.whenReady(['a', 'b'], { timeoutMs: 10_000 });
      expect(client.getServerInfo('a')!.state).toBe('ready');
      expect(client.getServerInfo('b')!.state).toBe('ready');
      await client.whenReady(); // every server, already ready: at once
    });

    it('fromConfig waits by default, like addServer', async () => {
      client = await UniversalMcpClient.fromConfig({ mcpServers: { a: entry() } });
      expect(client.getServerInfo('a')!.state).toBe('ready');
    });

    it('whenReady rejects naming each server that is not ready, and why', async () => {
      client = new UniversalMcpClient();
      await client.addServer(fixtureStdio('ok'));
      await client.addServer(crashing('down', { intensity: { maxRestarts: 1000 } }), { waitForReady: false });
      const err = (await client
        .whenReady(['ok', 'down'], { timeoutMs: 2000 })
        .catch((e: unknown) => e)) as UniversalMcpError;
      expect(err).toMatchObject({
        code: ErrorCode.TIMEOUT,
        details: { servers: { down: { error: expect.objectContaining({ code: ErrorCode.CONNECT_FAILED }) } } },
      });
      expect(err.message).toMatch(
        /^Servers not ready within 2000 ms: down \((failed|restarting|connecting): Cannot connect to "down": process exited with code 3/,
      );
      expect(Object.keys((err.details as { servers: object }).servers)).toEqual(['down']);
      await expect(client.whenReady(['nope'])).rejects.toMatchObject({ code: ErrorCode.SERVER_NOT_FOUND });
    });

    it('whenReady rejects at once when a server is given up', async () => {
      client = new UniversalMcpClient();
      await client.addServer(crashing('doomed', { intensity: { maxRestarts: 2, windowMs: 60_000 } }), {
        waitForReady: false,
      });
      const t0 = performance.now();
      await expect(client.whenReady(['doomed'], { timeoutMs: 20_000 })).rejects.toMatchObject({
        code: ErrorCode.SERVER_UNAVAILABLE,
      });
      expect(performance.now() - t0).toBeLessThan(10_000);
    });

    it.each([
      ['wait', 'answered after the restart'],
      ['fail', 'refused at once'],
    ] as const)('whileReconnecting "%s": a call made while the server restarts is %s', async (mode, _outcome) => {
      // 'fail' gets a long backoff, so that "refused at once" is an order (refused while the server still waits to
      // restart), not a time.
      const delay = mode === 'wait' ? 200 : 5_000;
      client = new UniversalMcpClient({
        defaults: { whileReconnecting: mode, backoff: { initialDelayMs: delay, maxDelayMs: delay, jitter: 0 } },
      });
      await client.addServer(fixtureStdio('flappy', { backoff: undefined }));
      const { pid } = client.getServerInfo('flappy')!;
      process.kill(pid!, 'SIGKILL');
      await eventually(() => client.getServerInfo('flappy')!.state !== 'ready', 20_000);
      const outcome = await client.callTool('flappy', 'echo', { text: 'hi' }, { timeoutMs: 20_000 }).then(
        (r) => r.content,
        (e: UniversalMcpError) => e.code,
      );
      const info = client.getServerInfo('flappy')!;
      if (mode === 'wait') {
        expect(outcome).toEqual([{ type: 'text', text: 'hi' }]);
        expect(info.state).toBe('ready'); // it did wait for the restart
        expect(info.pid).not.toBe(pid);
      } else {
        expect(outcome).toBe(ErrorCode.SERVER_UNAVAILABLE);
        expect(info.state).toBe('restarting'); // the restart had not happened yet
      }
    });

    it('a waiting call still ends within its own timeout', async () => {
      client = new UniversalMcpClient();
      await client.addServer(crashing('never', { intensity: { maxRestarts: 1000 } }), { waitForReady: false });
      const err = await client.callTool('never', 'echo', {}, { timeoutMs: 300 }).catch((e: unknown) => e);
      // Never sent: the server being down, not a slow answer.
      expect(err).toMatchObject({ code: ErrorCode.SERVER_UNAVAILABLE, details: { servers: { never: {} } } });
      expect((err as Error).message).toMatch(/^Server "never" was not ready within 300 ms .*the request was not sent$/);
    });
  });

  describe('errors that keep the one fact you need', () => {
    it('a missing module is named in the message, even with many stderr lines after it', async () => {
      client = new UniversalMcpClient();
      const script = [
        'console.error("Error: Cannot find module \'/srv/app/servr.js\'");',
        "for (let i = 0; i < 40; i++) console.error('  at frame ' + i);",
        'process.exit(1);',
      ].join(' ');
      const err = (await client
        .addServer({ name: 'typo', transport: 'stdio', command: process.execPath, args: ['-e', script] })
        .catch((e: unknown) => e)) as Error;
      expect(err).toMatchObject({ code: ErrorCode.CONNECT_FAILED });
      expect(err.message).toMatch(/process exited with code 1; Error: Cannot find module '\/srv\/app\/servr\.js'/);
    });

    it('keeps more than the last five stderr lines, bounded', async () => {
      client = new UniversalMcpClient();
      await client.addServer(fixtureStdio('talky'));
      for (let i = 0; i < 30; i += 1) await client.callTool('talky', 'log', { text: `line ${i}` });
      await eventually(() => client.getServerInfo('talky')!.stderr.includes('line 29'), 10_000);
      expect(client.getServerInfo('talky')!.stderr.filter((l) => l.startsWith('line '))).toHaveLength(30);
    });

    it('a working directory that does not exist is named', async () => {
      client = new UniversalMcpClient();
      const err = await client
        .addServer({ name: 'nowhere', transport: 'stdio', command: process.execPath, cwd: '/no/such/dir' })
        .catch((e: Error) => e);
      expect(err).toMatchObject({ code: ErrorCode.CONNECT_FAILED });
      expect((err as Error).message).toMatch(/working directory does not exist: \/no\/such\/dir/);
    });

    it('after close(), every method says CLOSED', async () => {
      client = new UniversalMcpClient();
      await client.addServer(fixtureStdio('gone'));
      await client.close();
      const closed = { code: ErrorCode.CLOSED };
      await expect(client.callTool('gone', 'echo', { text: 'x' })).rejects.toMatchObject(closed);
      await expect(client.readResource('gone', 'note://1')).rejects.toMatchObject(closed);
      await expect(client.getPrompt('gone', 'greet', { name: 'a' })).rejects.toMatchObject(closed);
      await expect(client.whenReady()).rejects.toMatchObject(closed);
      expect(() => client.restartServer('gone')).toThrow(expect.objectContaining(closed));
      expect(() => client.listTools('gone')).toThrow(expect.objectContaining(closed));
    });

    it('every call:start has exactly one call:end, calls refused before sending included', async () => {
      client = new UniversalMcpClient();
      const starts: CallStartEvent[] = [];
      const ends: CallEndEvent[] = [];
      client.on('call:start', (e) => starts.push(e));
      client.on('call:end', (e) => ends.push(e));
      await client.addServer(fixtureStdio('fx'));
      await client.addServer(fixtureStdio('busy', { queue: { concurrency: 1, maxQueued: 0 } }));
      await client.addServer(crashing('down', { restart: 'temporary' }), { waitForReady: false });
      await eventually(() => client.getServerInfo('down')!.givenUp, 20_000);
      const slow = client.callTool('busy', 'sleep', { ms: 300 });
      const outcomes = await Promise.all([
        client.callTool('nope', 'echo', { text: 'x' }).catch((e: UniversalMcpError) => e.code),
        client.callTool('fx', 'nope').catch((e: UniversalMcpError) => e.code),
        client.callTool('fx', 'add', { a: 'one', b: 2 }).catch((e: UniversalMcpError) => e.code),
        client.callTool('down', 'echo', {}).catch((e: UniversalMcpError) => e.code),
        client.callTool('busy', 'echo', { text: 'x' }).catch((e: UniversalMcpError) => e.code),
      ]);
      await slow;
      expect(outcomes).toEqual([
        ErrorCode.SERVER_NOT_FOUND,
        ErrorCode.TOOL_NOT_FOUND,
        ErrorCode.INVALID_ARGUMENTS,
        ErrorCode.SERVER_UNAVAILABLE,
        ErrorCode.QUEUE_FULL,
      ]);
      expect(starts).toHaveLength(6);
      expect(ends).toHaveLength(6);
      expect(
        ends
          .filter((e) => !e.ok)
          .map((e) => e.error!.code)
          .sort(),
      ).toEqual([...outcomes].sort());
    });

    it('progress and an answer arriving after a timeout are debug lines, not warnings with a stack', async () => {
      const { logger, lines } = capture();
      client = new UniversalMcpClient({ logger });
      // A server that ignores the cancellation: it sends the call's progress, then its answer, after the deadline.
      await client.addServer({
        name: 'late',
        transport: 'stdio',
        command: process.execPath,
        args: ['-e', LATE_SERVER],
      });
      await expect(client.callTool('late', 'slow', {}, { deadlineMs: 150 })).rejects.toMatchObject({
        code: ErrorCode.TIMEOUT,
      });
      await eventually(() => lines.filter((l) => l.msg === 'late message ignored').length === 2, 10_000);
      expect(lines.filter((l) => l.msg === 'transport error')).toEqual([]);
    });
  });

  describe('the host process', () => {
    it('a throwing listener does not stop later ones; close() still waits for every server', async () => {
      const { logger, lines } = capture('error');
      client = new UniversalMcpClient({ logger });
      const seen: string[] = [];
      client.on('server:state', () => {
        throw new Error('listener bug');
      });
      client.on('server:state', (e) => seen.push(e.to));
      client.on('server:removed', () => {
        throw new Error('removed listener bug');
      });
      await client.addServer(fixtureStdio('stubborn', { env: { IGNORE_TERM: '1' } }));
      expect(seen).toEqual(['initialized', 'ready']);
      const pid = client.getServerInfo('stubborn')!.pid!;
      await expect(client.close()).resolves.toBeUndefined();
      expect(() => process.kill(pid, 0)).toThrow(); // gone when close() resolved (it ignored EOF and SIGTERM)
      expect(lines.filter((l) => l.msg === 'event listener threw').length).toBeGreaterThanOrEqual(3);
    });

    it('rejects timers a Node timer cannot hold, and treats Infinity as "no timeout"', async () => {
      expect(() => new UniversalMcpClient({ defaults: { health: { intervalMs: 2 ** 31 } } })).toThrow(
        /at most 2147483647 ms/,
      );
      client = new UniversalMcpClient();
      await expect(client.addServer(fixtureStdio('t', { callTimeoutMs: Infinity }))).rejects.toMatchObject({
        code: ErrorCode.CONFIG_INVALID,
      });
      await client.addServer(fixtureStdio('fx'));
      await expect(
        client.callTool('fx', 'sleep', { ms: 50 }, { timeoutMs: Infinity, deadlineMs: 2 ** 40 }),
      ).resolves.toMatchObject({ content: [{ text: 'slept 50' }] });
      await expect(client.callTool('fx', 'echo', { text: 'x' }, { timeoutMs: -1 })).rejects.toMatchObject({
        code: ErrorCode.CONFIG_INVALID,
        details: { field: 'timeoutMs' },
      });
    });

    it('a server may be named __proto__', async () => {
      client = new UniversalMcpClient();
      await client.addServer(fixtureStdio('__proto__'));
      expect(Object.keys(client.listTools())).toEqual(['__proto__']);
      expect(client.listTools('__proto__').map((t) => t.name)).toContain('echo');
      expect(Object.hasOwn(client.listTools(), '__proto__')).toBe(true);
      await expect(client.callTool('__proto__', 'echo', { text: 'ok' })).resolves.toMatchObject({
        content: [{ text: 'ok' }],
      });
    });

    it('getServerInfo never hands out an OAuth provider or URL credentials', async () => {
      client = new UniversalMcpClient();
      const provider = {
        tokens: () => ({ access_token: 'secret-token', token_type: 'Bearer' }),
        clientInformation: () => ({ client_id: 'c', client_secret: 'shh' }),
      };
      await client.addServer(
        {
          name: 'o',
          transport: 'streamable_http',
          url: 'http://tok3n@127.0.0.1:9/mcp',
          auth: { type: 'oauth', provider: provider as never },
        },
        { waitForReady: false },
      );
      const shown = JSON.stringify(client.getServerInfo('o')!.config);
      expect(shown).not.toContain('tok3n');
      expect(shown).not.toContain('secret-token');
      expect(client.getServerInfo('o')!.config).toMatchObject({ auth: { type: 'oauth', provider: '[redacted]' } });
    });

    it('restartServer restarts a ready server, and cuts a pending backoff short', async () => {
      client = new UniversalMcpClient({ defaults: { backoff: { initialDelayMs: 60_000, jitter: 0 } } });
      await client.addServer(fixtureStdio('r', { backoff: undefined }));
      const pid = client.getServerInfo('r')!.pid;
      client.restartServer('r');
      await eventually(
        () => client.getServerInfo('r')!.state === 'ready' && client.getServerInfo('r')!.pid !== pid,
        20_000,
      );
      expect(client.getServerInfo('r')!.lastError).toBeUndefined(); // a restart asked for is not an error
      // Now a crash: the next attempt is a minute away, unless restartServer says now.
      process.kill(client.getServerInfo('r')!.pid!, 'SIGKILL');
      await eventually(() => client.getServerInfo('r')!.state === 'restarting', 20_000);
      const t0 = performance.now();
      client.restartServer('r');
      await eventually(() => client.getServerInfo('r')!.state === 'ready', 20_000);
      expect(performance.now() - t0).toBeLessThan(30_000); // not the minute the backoff asked for
    });
  });

  describe('config files', () => {
    let dir: string;
    afterEach(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it("a stdio server from a config file runs in the file's directory, wherever the program started", async () => {
      dir = await mkdtemp(join(tmpdir(), 'umcp-rel-'));
      await writeFile(join(dir, 'server.mjs'), `await import(${JSON.stringify(FIXTURE)});\n`);
      await writeFile(
        join(dir, 'mcp.json'),
        JSON.stringify({ mcpServers: { rel: { command: process.execPath, args: ['./server.mjs', 'stdio'] } } }),
      );
      expect(process.cwd()).not.toBe(dir);
      client = await UniversalMcpClient.fromConfig(join(dir, 'mcp.json'));
      await expect(client.callTool('rel', 'echo', { text: 'found' })).resolves.toMatchObject({
        content: [{ text: 'found' }],
      });
    });
  });

  describe('auth', () => {
    it('client_credentials takes expectedIssuer; without it the SDK warning goes to the logger', async () => {
      const warn = vi.spyOn(console, 'warn');
      try {
        const { logger, lines } = capture('warn');
        client = new UniversalMcpClient({ logger });
        const auth = { type: 'client_credentials' as const, clientId: 'id', clientSecret: 's' };
        await client.addServer(
          { name: 'cc', transport: 'streamable_http', url: 'http://127.0.0.1:9/mcp', auth },
          { waitForReady: false },
        );
        await client.addServer(
          {
            name: 'pinned',
            transport: 'streamable_http',
            url: 'http://127.0.0.1:9/mcp',
            auth: { ...auth, expectedIssuer: 'https://auth.example.com' },
          },
          { waitForReady: false },
        );
        await eventually(
          () =>
            client.getServerInfo('cc')!.lastError !== undefined &&
            client.getServerInfo('pinned')!.lastError !== undefined,
          20_000,
        );
        expect(warn).not.toHaveBeenCalled();
        const sdkWarnings = lines.filter((l) => l.msg === 'SDK warning');
        expect(sdkWarnings.map((l) => l.server)).toEqual(['cc']);
        expect(sdkWarnings[0]!.warning).toMatch(/expectedIssuer/);
      } finally {
        warn.mockRestore();
      }
    });
  });
});
