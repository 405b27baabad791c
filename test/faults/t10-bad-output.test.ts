import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode, UniversalMcpClient } from '@universal-mcp/supervisor';
import { fixtureStdio } from '../helpers/servers.js';

function capturedLogger(): { logger: pino.Logger; lines: { msg: string; suppressed?: number }[] } {
  const lines: { msg: string; suppressed?: number }[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const l of chunk.toString('utf8').split('\n')) if (l) lines.push(JSON.parse(l));
      cb();
    },
  });
  return { logger: pino({ level: 'warn' }, sink), lines };
}

// T10: garbage lines never restart a server and are logged at a bounded rate; an oversized
// message fails its call with MESSAGE_TOO_LARGE in ≤ 2 s, in linear time; a half line does not
// swallow the next response.
describe('T10 bad output', () => {
  let client: UniversalMcpClient;
  afterEach(() => client.close());

  it('1,000 garbage lines: no restart, the call answers, at most 10 log lines', async () => {
    const { logger, lines } = capturedLogger();
    client = new UniversalMcpClient({ logger });
    await client.addServer(fixtureStdio('noisy'));
    await expect(client.callTool('noisy', 'garbage', { lines: 1000 })).resolves.toMatchObject({
      content: [{ text: 'wrote 1000' }],
    });
    await expect(client.callTool('noisy', 'echo', { text: 'fine' })).resolves.toBeDefined();
    const info = client.getServerInfo('noisy')!;
    expect(info.state).toBe('ready');
    expect(info.restarts).toBe(0);
    const noise = lines.filter((l) => l.msg === 'transport error');
    expect(noise.length).toBeGreaterThan(0);
    expect(noise.length).toBeLessThanOrEqual(10);
  });

  it('a half line glued to the next response does not lose that response', async () => {
    client = new UniversalMcpClient();
    await client.addServer(fixtureStdio('half'));
    await expect(client.callTool('half', 'halfline', {}, { timeoutMs: 5000 })).resolves.toMatchObject({
      content: [{ text: 'after the half line' }],
    });
    await expect(client.callTool('half', 'echo', { text: 'next' })).resolves.toMatchObject({
      content: [{ text: 'next' }],
    });
  });

  it('an answer over maxMessageBytes fails that call with MESSAGE_TOO_LARGE; the server stays up', async () => {
    client = new UniversalMcpClient();
    await client.addServer(fixtureStdio('big', { maxMessageBytes: 1024 * 1024 }));
    const t0 = performance.now();
    const err = await client
      .callTool('big', 'big', { bytes: 4 * 1024 * 1024 }, { timeoutMs: 30_000 })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: ErrorCode.MESSAGE_TOO_LARGE, server: 'big' });
    expect((err as Error).message).toMatch(/over the 1048576-byte limit/);
    expect(performance.now() - t0).toBeLessThan(15_000); // refused as it streams in, not the 30 s timeout
    expect(client.getServerInfo('big')!.restarts).toBe(0);
    await expect(client.callTool('big', 'big', { bytes: 1000 })).resolves.toBeDefined();
  });

  it('a 50 MB answer is framed in linear time when the limit allows it', async () => {
    client = new UniversalMcpClient();
    await client.addServer(fixtureStdio('huge', { maxMessageBytes: 64 * 1024 * 1024 }));
    const t0 = performance.now();
    const result = await client.callTool('huge', 'big', { bytes: 50 * 1024 * 1024 }, { timeoutMs: 60_000 });
    const took = performance.now() - t0;
    expect((result.content[0] as { text: string }).text.length).toBe(50 * 1024 * 1024);
    expect(took).toBeLessThan(15_000); // the SDK's quadratic buffer took 19 s; here ~1 s, most of it the server's JSON
  });
});
