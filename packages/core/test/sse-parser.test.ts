import { describe, expect, it } from 'vitest';
import { SseParser, type SseEvent } from '../src/sse-parser.js';

function parse(chunks: readonly (string | Buffer)[], maxBytes?: number) {
  const events: SseEvent[] = [];
  const retries: number[] = [];
  const tooLarge: number[] = [];
  const parser = new SseParser(
    { event: (e) => events.push(e), retry: (ms) => retries.push(ms), tooLarge: (b) => tooLarge.push(b) },
    maxBytes,
  );
  for (const chunk of chunks) parser.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return { events, retries, tooLarge };
}

describe('SseParser', () => {
  it('reads events with LF, CRLF and CR line ends, split anywhere, and joins data lines', () => {
    const stream = 'event: message\nid: 1\ndata: {"a":\ndata: 1}\n\r\n: a comment\r\ndata:x\r\rretry: 250\nid: 2\n\n';
    const whole = parse([stream]);
    expect(whole.events).toEqual([
      { event: 'message', id: '1', data: '{"a":\n1}' },
      { event: undefined, id: undefined, data: 'x' },
      { event: undefined, id: '2', data: '' },
    ]);
    expect(whole.retries).toEqual([250]);
    // Every split point, CR and LF of one CRLF in different chunks included, gives the same events.
    for (let at = 1; at < stream.length; at += 1) {
      expect(parse([stream.slice(0, at), stream.slice(at)]).events).toEqual(whole.events);
    }
  });

  it('decodes UTF-8 cut in the middle of a character', () => {
    const bytes = Buffer.from('data: 数据 ✓\n\n');
    const events = parse([bytes.subarray(0, 8), bytes.subarray(8)]).events;
    expect(events).toEqual([{ event: undefined, id: undefined, data: '数据 ✓' }]);
  });

  it('drops an event over the limit whole, reports it, and reads on', () => {
    const big = `data: ${'x'.repeat(5000)}\n`;
    const { events, tooLarge } = parse(
      ['data: a\n\n', big.slice(0, 3000), big.slice(3000), 'data: more\n\n', 'data: b\n\n'],
      1000,
    );
    expect(events.map((e) => e.data)).toEqual(['a', 'b']);
    expect(tooLarge).toHaveLength(1);
    expect(tooLarge[0]).toBeGreaterThan(1000);
  });
});
