// How many times the gateway's HTTP listener writes to a client's socket per answer. Each write is
// a syscall and wakes the client, which on a busy machine costs the call a context switch: the
// headers go out with what the answer has ready (a 2026 JSON answer, a 2025 stream's priming
// event), not on their own. Counted at the socket's flush hooks (`_write`, `_writev`), so the test
// counts writes, not time.
import { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { closeAll, downstream, serve, textOf, upstream } from './two-revisions-setup.js';

afterEach(closeAll);

type Flush = (this: Socket, ...args: unknown[]) => unknown;

/** The flushes of sockets on `port` (the server's side) while `run` runs. */
async function flushesOn(port: number, run: () => Promise<void>): Promise<number> {
  const proto = Socket.prototype as unknown as Record<'_write' | '_writev', Flush>;
  const originals = { _write: proto._write, _writev: proto._writev };
  let count = 0;
  for (const hook of ['_write', '_writev'] as const)
    proto[hook] = function (this: Socket, ...args: unknown[]) {
      if (this.localPort === port) count += 1;
      return originals[hook].apply(this, args);
    };
  try {
    await run();
  } finally {
    proto._write = originals._write;
    proto._writev = originals._writev;
  }
  return count;
}

describe('the gateway writes an answer to its client', () => {
  it('a 2026-07-28 JSON answer in one write, headers and body together', async () => {
    const { listener } = await serve(await upstream(['v2']));
    const client = await downstream(listener, '2026-07-28');
    const port = Number(listener.url.port);
    const calls = 5;
    const writes = await flushesOn(port, async () => {
      for (let i = 0; i < calls; i += 1)
        expect(textOf(await client.callTool({ name: 'echo', arguments: { text: `n${i}` } }))).toBe(`n${i}`);
    });
    expect(writes).toBe(calls);
  });

  it('a 2025-11-25 SSE answer in two writes: the headers with the priming event, the result with the end', async () => {
    const { listener } = await serve(await upstream(['v2']));
    const client = await downstream(listener, '2025-11-25');
    const port = Number(listener.url.port);
    // The session's first call: the standalone GET stream the client opens after initialize is written to meanwhile.
    await client.callTool({ name: 'echo', arguments: { text: 'warm' } });
    const calls = 5;
    const writes = await flushesOn(port, async () => {
      for (let i = 0; i < calls; i += 1)
        expect(textOf(await client.callTool({ name: 'echo', arguments: { text: `o${i}` } }))).toBe(`o${i}`);
    });
    expect(writes).toBe(2 * calls);
  });
});
