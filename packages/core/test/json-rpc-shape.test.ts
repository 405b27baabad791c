import { describe, expect, it } from 'vitest';
import { checkMessage, topLevelKeys } from '../src/json-rpc-shape.js';

describe('checkMessage', () => {
  it.each([
    [{ jsonrpc: '2.0', id: 1, method: 'ping' }],
    [{ jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: 1, progress: 1 } }],
    [{ jsonrpc: '2.0', id: 'a', result: {} }],
    [{ jsonrpc: '2.0', id: 2, error: { code: -32601, message: 'nope' } }],
    [{ jsonrpc: '2.0', id: null, error: { code: -32700, message: 'parse error' } }],
  ])('accepts %j', (message) => {
    expect(checkMessage(message)).toEqual({ ok: true });
  });

  it.each([
    [{ jsonrpc: '2.0', id: 3, result: null }, '"result" is null, not an object', 3],
    [{ jsonrpc: '2.0', id: 3, result: [] }, '"result" is an array, not an object', 3],
    [{ jsonrpc: '2.0', id: 4, error: { code: 'oops', message: 'x' } }, '"error.code" is "oops", not an integer', 4],
    [{ jsonrpc: '2.0', id: 5, error: { code: 1.5, message: 'x' } }, '"error.code" is 1.5, not an integer', 5],
    [{ jsonrpc: '2.0', id: 6, error: { code: 1 } }, '"error.message" is not a string', 6],
    [{ jsonrpc: '1.0', id: 7, result: {} }, '"jsonrpc" is not "2.0"', 7],
    [{ jsonrpc: '2.0', id: 8 }, 'neither "method", "result" nor "error"', 8],
    [{ jsonrpc: '2.0', id: 9, method: 5 }, '"method" is not a string', undefined],
    [{ jsonrpc: '2.0', id: {}, result: {} }, '"id" is not a string or number', undefined],
    ['a string', 'not an object', undefined],
  ])('refuses %j, and names the answer to fail', (message, problem, answerId) => {
    expect(checkMessage(message)).toEqual({ ok: false, problem, answerId });
  });
});

describe('topLevelKeys', () => {
  it('reads the top-level keys from the head of a message, strings and nesting understood', () => {
    expect(topLevelKeys('{"result":{"content":[{"type":"text","text":"a \\"method\\": x')).toEqual(['result']);
    expect(topLevelKeys('{"method":"sampling/createMessage","params":{"messages":[{"role":"user"')).toEqual([
      'method',
      'params',
    ]);
    expect(topLevelKeys('{"jsonrpc":"2.0","id":5,"params":{"huge":"yyyy')).toEqual(['jsonrpc', 'id', 'params']);
  });
});
