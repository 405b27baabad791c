import { describe, expect, it } from 'vitest';
import {
  bearerToken,
  checkLoopbackRule,
  checkTokenLength,
  GuardError,
  GuardErrorCode,
  isLoopbackAddress,
  loopbackHosts,
  newToken,
  sameToken,
} from '../src/index.js';

describe('tokens', () => {
  it('makes 32-character base64url tokens, a new one each time', () => {
    const a = newToken();
    expect(a).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(newToken()).not.toBe(a);
  });

  it.each<[string | undefined, string | undefined]>([
    ['Bearer abc', 'abc'],
    ['bearer abc', 'abc'],
    ['BEARER a b', 'a b'],
    ['Bearer ', undefined],
    ['Basic abc', undefined],
    ['abc', undefined],
    [undefined, undefined],
  ])('reads the token of %j', (header, token) => {
    expect(bearerToken(header)).toBe(token);
  });

  it.each<[string, string, boolean]>([
    ['same-token-0123456789', 'same-token-0123456789', true],
    ['same-token-012345678', 'same-token-0123456789', false],
    ['', 'same-token-0123456789', false],
    ['SAME-TOKEN-0123456789', 'same-token-0123456789', false],
  ])('compares %j with %j', (given, expected, same) => {
    expect(sameToken(given, expected)).toBe(same);
  });

  it('refuses a token under 16 characters with a typed error', () => {
    expect(() => checkTokenLength('0123456789abcdef', 'The token')).not.toThrow();
    const err = (() => {
      try {
        checkTokenLength('short', 'The gateway token');
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(GuardError);
    expect(err).toMatchObject({ code: GuardErrorCode.TOKEN_TOO_SHORT });
    expect((err as Error).message).toBe('The gateway token must be at least 16 characters');
  });
});

describe('loopback', () => {
  it.each<[string, boolean]>([
    ['127.0.0.1', true],
    ['127.1.2.3', true],
    ['::1', true],
    ['::ffff:127.0.0.1', true],
    ['::FFFF:127.0.0.2', true],
    ['0.0.0.0', false],
    ['::', false],
    ['192.0.2.1', false],
    ['::ffff:192.0.2.1', false],
    ['localhost', false], // a name is not an address: it may resolve anywhere
    ['128.0.0.1', false],
  ])('%s is loopback: %s', (address, loopback) => {
    expect(isLoopbackAddress(address)).toBe(loopback);
  });

  it('names the loopback hosts with the port', () => {
    expect(loopbackHosts(80)).toEqual(['127.0.0.1:80', 'localhost:80', '[::1]:80']);
  });

  it.each<[string | false | undefined, string, GuardErrorCode | undefined]>([
    ['given-token-0123456789', '0.0.0.0', undefined],
    [false, '127.0.0.1', undefined],
    [undefined, '::1', undefined],
    [false, '0.0.0.0', GuardErrorCode.TOKEN_REQUIRED],
    [false, '::', GuardErrorCode.TOKEN_REQUIRED],
    [undefined, '192.0.2.1', GuardErrorCode.TOKEN_NOT_GIVEN],
  ])('token %j on %s: %s', (token, address, code) => {
    const run = () => checkLoopbackRule(token, address, `host (${address})`);
    if (code === undefined) expect(run).not.toThrow();
    else expect(run).toThrow(expect.objectContaining({ code, name: 'GuardError' }));
  });
});
