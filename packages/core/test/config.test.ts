import { describe, expect, it } from 'vitest';
import { parseServerConfig, parseServerPolicy } from '../src/config.js';
import { redactConfig } from '../src/config-redaction.js';
import { ErrorCode, UniversalMcpError } from '../src/errors.js';

function rejection(input: unknown): UniversalMcpError {
  try {
    parseServerConfig(input);
  } catch (err) {
    expect(err).toBeInstanceOf(UniversalMcpError);
    return err as UniversalMcpError;
  }
  throw new Error('config was accepted');
}

describe('parseServerConfig', () => {
  it('accepts each transport', () => {
    expect(
      parseServerConfig({ name: 'a', transport: 'stdio', command: 'node', args: ['x.js'], env: { A: '1' } }).transport,
    ).toBe('stdio');
    expect(parseServerConfig({ name: 'b', transport: 'sse', url: 'http://127.0.0.1:1/sse' }).transport).toBe('sse');
    expect(
      parseServerConfig({
        name: 'c',
        transport: 'streamable_http',
        url: 'https://x.test/mcp',
        headers: { A: 'b' },
        callTimeoutMs: 5,
      }).transport,
    ).toBe('streamable_http');
  });

  it("accepts the hosts' spelling (type: stdio | http | sse, or neither), and reports ours", () => {
    expect(parseServerConfig({ name: 'a', command: 'node' })).toEqual({
      name: 'a',
      transport: 'stdio',
      command: 'node',
    });
    expect(parseServerConfig({ name: 'b', url: 'http://x/mcp' })).toEqual({
      name: 'b',
      transport: 'streamable_http',
      url: 'http://x/mcp',
    });
    expect(parseServerConfig({ name: 'c', type: 'http', url: 'http://x/mcp' })).toEqual({
      name: 'c',
      transport: 'streamable_http',
      url: 'http://x/mcp',
    });
    expect(parseServerConfig({ name: 'd', type: 'sse', url: 'http://x/sse' })).toEqual({
      name: 'd',
      transport: 'sse',
      url: 'http://x/sse',
    });
    expect(parseServerConfig({ name: 'e', type: 'stdio', transport: 'stdio', command: 'x' }).transport).toBe('stdio');
  });

  it.each([
    [
      { name: 'a', transport: 'carrier-pigeon', command: 'x' },
      'transport',
      /transport: expected one of "stdio", "sse", "streamable_http", got "carrier-pigeon"/,
    ],
    [{ name: 'a', args: [] }, 'type', /got nothing \(and neither command nor url\)/],
    [
      { name: 'a', type: 'websocket', url: 'ws://x' },
      'type',
      /type: expected one of "stdio", "http" or "sse", got "websocket"/,
    ],
    [{ name: 'a', type: 'sse', transport: 'stdio', command: 'x' }, 'type', /disagree/],
    [{ name: 'a', url: 'http://x/', timeoutMs: 5 }, '', /unknown field\(s\) "timeoutMs"/],
    [{ name: 'a', transport: 'stdio' }, 'command', /command/],
    [{ name: 'a', transport: 'stdio', command: '  ' }, 'command', /command: expected a non-empty command/],
    [{ name: 'a', transport: 'streamable_http' }, 'url', /url/],
    [{ name: 'a', transport: 'sse', url: 'not a url' }, 'url', /url: expected an absolute http/],
    [{ name: 'a', transport: 'sse', url: 'ftp://x/y' }, 'url', /url: expected an absolute http/],
    [{ name: '', transport: 'stdio', command: 'x' }, 'name', /name/],
    [{ name: 'a', transport: 'stdio', command: 'x', args: 'x.js' }, 'args', /args/],
    [{ name: 'a', transport: 'stdio', command: 'x', comand: 'y' }, '', /unknown field\(s\) "comand"/],
    [{ name: 'a', transport: 'stdio', command: 'x', restart: 'sometimes' }, 'restart', /restart/],
    [
      { name: 'a', transport: 'stdio', command: 'x', backoff: { multiplier: 0.5 } },
      'backoff.multiplier',
      /backoff\.multiplier/,
    ],
    [
      { name: 'a', transport: 'stdio', command: 'x', queue: { concurrency: 0 } },
      'queue.concurrency',
      /queue\.concurrency/,
    ],
    [{ name: 'a', transport: 'stdio', command: 'x', backoff: { jitter: 2 } }, 'backoff.jitter', /backoff\.jitter/],
  ])('rejects %j naming the field', (input, field, message) => {
    const err = rejection(input);
    expect(err.code).toBe(ErrorCode.CONFIG_INVALID);
    expect(err.message).toMatch(message);
    if (field !== '') expect(err.details).toMatchObject({ field });
  });

  it('names the server in the message when it has a name', () => {
    expect(rejection({ name: 'weather', transport: 'stdio' }).message).toMatch(/^Invalid config for server "weather"/);
  });

  it('rejects non-objects', () => {
    expect(rejection(null).code).toBe(ErrorCode.CONFIG_INVALID);
    expect(rejection([]).code).toBe(ErrorCode.CONFIG_INVALID);
  });
});

describe('parseServerPolicy', () => {
  it('accepts empty and partial policies and rejects bad ones', () => {
    expect(parseServerPolicy(undefined)).toEqual({});
    expect(parseServerPolicy({ restart: 'transient', queue: { maxQueued: 0 } })).toEqual({
      restart: 'transient',
      queue: { maxQueued: 0 },
    });
    expect(() => parseServerPolicy({ callTimeoutMs: -1 })).toThrow(/callTimeoutMs/);
  });
});

describe('redactConfig', () => {
  it('hides env values, secret headers and URL credentials', () => {
    const stdio = redactConfig({ name: 'a', transport: 'stdio', command: 'x', env: { API_KEY: 'sk-1', MODE: 'prod' } });
    expect(stdio.env).toEqual({ API_KEY: '[redacted]', MODE: '[redacted]' });
    const http = redactConfig({
      name: 'b',
      transport: 'streamable_http',
      url: 'https://user:pw@x.test/mcp?token=abc&region=eu',
      headers: { Authorization: 'Bearer sk', 'X-Api-Key': 'k', Accept: 'application/json' },
    });
    expect(http.headers).toEqual({
      Authorization: '[redacted]',
      'X-Api-Key': '[redacted]',
      Accept: 'application/json',
    });
    expect(http.url).not.toContain('pw');
    expect(http.url).not.toContain('abc');
    expect(http.url).toContain('region=eu');
  });
});
