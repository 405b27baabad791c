import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode, UniversalMcpClient, type ServerStateEvent } from '@universal-mcp/supervisor';
import { eventually, hostileStdio } from '../helpers/servers.js';

// A hand-written stdio server that misbehaves on purpose (test/fixtures/hostile-stdio.mjs).
const hostile = (name: string, extra: Record<string, unknown> = {}) =>
  hostileStdio(name, {}, { backoff: { initialDelayMs: 50, maxDelayMs: 200 }, ...extra });

describe('a hostile stdio server', () => {
  let client: UniversalMcpClient;
  afterEach(async () => {
    await client.close();
  });

  it('closing stdout while alive ends the connection: CONNECTION_LOST, then a restart', async () => {
    client = new UniversalMcpClient();
    const states: ServerStateEvent[] = [];
    client.on('server:state', (e) => states.push(e));
    await client.addServer(hostile('mute'));
    const pid = client.getServerInfo('mute')!.pid;
    await client.callTool('mute', 'close_stdout');
    const t0 = performance.now();
    // Noticed without any call: before, the state stayed ready and every call waited out its timeout.
    await eventually(() => states.some((s) => s.from === 'ready' && s.to === 'failed'), 5_000);
    expect(performance.now() - t0).toBeLessThan(5_000); // measured ≈ 0.15 s (20 ms + the 100 ms exit grace)
    expect(states.find((s) => s.from === 'ready' && s.to === 'failed')?.reason).toMatch(/closed its stdout/);
    // With whileReconnecting 'wait' (the default) the next call is answered by the restarted server.
    await expect(client.callTool('mute', 'echo', { text: 'x' })).resolves.toMatchObject({ content: [{ text: 'x' }] });
    expect(client.getServerInfo('mute')!.pid).not.toBe(pid);
  });

  it('a line over maxMessageBytes in one read fails its call (MESSAGE_TOO_LARGE); the server stays up', async () => {
    client = new UniversalMcpClient();
    await client.addServer(hostile('big', { maxMessageBytes: 1000 }));
    await expect(client.callTool('big', 'big_line', { bytes: 50_000 })).rejects.toMatchObject({
      code: ErrorCode.MESSAGE_TOO_LARGE,
    });
    await expect(client.callTool('big', 'echo', { text: 'still here' })).resolves.toMatchObject({
      content: [{ text: 'still here' }],
    });
    expect(client.getServerInfo('big')!.restarts).toBe(0);
  });

  it('an oversized request from the server never fails our call that happens to share its id', async () => {
    client = new UniversalMcpClient();
    await client.addServer(hostile('asker', { maxMessageBytes: 10_000 }));
    const result = await client.callTool('asker', 'big_request');
    // The call was answered normally, and the server was told its request was too large.
    expect(result.content[0]).toMatchObject({ text: expect.stringMatching(/request too large for this client/) });
  });

  it.each([
    ['bad_code', /"error\.code" is "oops", not an integer/],
    ['null_result', /"result" is null, not an object/],
  ])('a malformed answer (%s) settles its call at once with PROTOCOL_ERROR', async (tool, why) => {
    client = new UniversalMcpClient();
    await client.addServer(hostile('sloppy'));
    const t0 = performance.now();
    const err = await client.callTool('sloppy', tool, {}, { timeoutMs: 20_000 }).catch((e: unknown) => e);
    expect(performance.now() - t0).toBeLessThan(5_000); // measured ≈ 2 ms; before: the whole idle timeout
    expect(err).toMatchObject({ code: ErrorCode.PROTOCOL_ERROR, server: 'sloppy' });
    expect((err as Error).message).toMatch(why);
  });

  it('a batch is unpacked, not dropped', async () => {
    client = new UniversalMcpClient();
    const logs: unknown[] = [];
    client.on('server:log', (e) => logs.push(e.data));
    await client.addServer(hostile('batcher'));
    await expect(client.callTool('batcher', 'batch')).resolves.toMatchObject({ content: [{ text: 'from a batch' }] });
    await eventually(() => logs.includes('in a batch'), 2000);
  });

  it('an error message the server prefixed itself is not doubled', async () => {
    client = new UniversalMcpClient();
    await client.addServer(hostile('prefixed'));
    const err = await client.callTool('prefixed', 'prefixed_error').catch((e: Error) => e);
    expect(err).toMatchObject({ code: ErrorCode.PROTOCOL_ERROR, rpcCode: -32602 });
    expect((err as Error).message).toBe(
      'Server "prefixed" answered with error -32602: the server prefixed this itself',
    );
  });
});
