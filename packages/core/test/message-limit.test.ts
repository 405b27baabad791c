import { describe, expect, it } from 'vitest';
import { SseEventLimiter, findMessageId } from '../src/message-limit.js';

function run(chunks: string[], max: number, fallbackId?: number): string {
  const out: Buffer[] = [];
  const limiter = new SseEventLimiter(max, { push: (b) => out.push(b) }, fallbackId);
  for (const c of chunks) limiter.push(Buffer.from(c));
  return Buffer.concat(out).toString();
}

const event = (id: number, text: string): string =>
  `event: message\ndata: ${JSON.stringify({ result: { text }, jsonrpc: '2.0', id })}\n\n`;

describe('SseEventLimiter', () => {
  it('passes events under the limit untouched, however they are cut into chunks', () => {
    const stream = event(1, 'a') + event(2, 'bb') + ': comment\n\n';
    expect(run([stream], 1000)).toBe(stream);
    const pieces = stream.match(/.{1,7}/gs)!;
    expect(run(pieces, 1000)).toBe(stream);
  });

  it('replaces an event over the limit with an error answer for its id, and carries on', () => {
    const big = event(7, 'x'.repeat(5000));
    const out = run([event(1, 'a'), big.slice(0, 100), big.slice(100, 3000), big.slice(3000), event(2, 'b')], 1000);
    const lines = out.split('\n\n').filter((l) => l !== '');
    expect(lines).toHaveLength(3);
    const replaced = JSON.parse(lines[1]!.replace(/^event: message\ndata: /, '')) as {
      id: number;
      error: { code: number };
    };
    expect(replaced).toMatchObject({ id: 7, error: { code: -32099 } });
    expect(out).toContain(event(2, 'b'));
  });

  it('understands CRLF line ends', () => {
    const crlf = 'data: {"result":{},"jsonrpc":"2.0","id":1}\r\n\r\n';
    expect(run([crlf, crlf], 1000)).toBe(crlf + crlf);
  });

  it('uses the request id it was given when the event does not show one', () => {
    const out = run([`data: ${'z'.repeat(3000)}\n\n`], 1000, 42);
    expect(out).toMatch(/"id":42/);
  });
});

describe('findMessageId', () => {
  it('finds an id first or last', () => {
    expect(findMessageId('{"jsonrpc":"2.0","id":12,"result":', '')).toBe(12);
    expect(findMessageId('{"result":{"a"', 'aaa"}},"jsonrpc":"2.0","id":"x-1"}')).toBe('x-1');
    expect(findMessageId('{"result":', 'no id here')).toBeUndefined();
  });
});
