import { describe, expect, it } from 'vitest';
import { parseConfigObject } from '../src/config-file.js';
import { ErrorCode, UniversalMcpError } from '../src/errors.js';
import { OutboundHosts } from '../src/outbound-hosts.js';

describe('OutboundHosts patterns', () => {
  it.each([
    // [pattern, url, allowed]
    ['example.com', 'https://example.com/mcp', true],
    ['example.com', 'http://example.com:8080/mcp', true],
    ['example.com', 'https://EXAMPLE.com/mcp', true],
    ['Example.COM', 'https://example.com/', true],
    ['example.com', 'https://api.example.com/', false],
    ['example.com', 'https://example.com.evil.test/', false],
    ['example.com:8443', 'https://example.com:8443/', true],
    ['example.com:8443', 'https://example.com/', false],
    ['example.com:443', 'https://example.com/', true],
    ['example.com:80', 'http://example.com/', true],
    ['example.com:80', 'https://example.com/', false],
    ['*.example.com', 'https://api.example.com/', true],
    ['*.example.com', 'https://a.b.example.com/', true],
    ['*.example.com', 'https://example.com/', false],
    ['*.example.com', 'https://badexample.com/', false],
    ['*.example.com:8443', 'https://api.example.com:8443/', true],
    ['*.example.com:8443', 'https://api.example.com/', false],
    ['127.0.0.1', 'http://127.0.0.1:9000/', true],
    ['127.0.0.1', 'http://127.0.0.2:9000/', false],
    ['127.0.0.1', 'http://localhost:9000/', false],
    ['127.0.0.1', 'http://2130706433/', true], // the same address, spelled as one number
    ['[::1]', 'http://[::1]:9000/', true],
    ['[0:0:0:0:0:0:0:1]:9000', 'http://[::1]:9000/', true],
    ['[::1]:9000', 'http://[::1]:9001/', false],
    ['localhost', 'ftp://localhost/', false],
    ['localhost', 'http://user:pass@localhost/?q=1', true],
  ])('%s against %s: %s', (pattern, url, allowed) => {
    expect(new OutboundHosts([pattern]).allows(new URL(url))).toBe(allowed);
  });

  it('allows nothing with an empty list', () => {
    expect(new OutboundHosts([]).allows(new URL('http://127.0.0.1/'))).toBe(false);
  });

  it.each(['', 'http://example.com', 'example.com/mcp', 'ex*ample.com', '*example.com', 'a.com:99999', 'user@a.com'])(
    'refuses the pattern %j as CONFIG_INVALID',
    (pattern) => {
      expect(() => new OutboundHosts(['ok.test', pattern])).toThrow(
        expect.objectContaining({ code: ErrorCode.CONFIG_INVALID, details: { field: 'outboundHosts[1]' } }),
      );
    },
  );

  it('says the host alone: never the credentials, path or query', () => {
    const hosts = new OutboundHosts(['localhost']);
    let thrown: unknown;
    try {
      hosts.check('http://alice:s3cret@127.0.0.2:81/p/secret-path?token=s3cret', 'srv');
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(UniversalMcpError);
    const err = thrown as UniversalMcpError;
    expect(err.code).toBe(ErrorCode.HOST_NOT_ALLOWED);
    expect(err.server).toBe('srv');
    expect(err.details).toEqual({ host: '127.0.0.2:81', outboundHosts: ['localhost'] });
    expect(JSON.stringify(err.toJSON())).not.toMatch(/s3cret|secret-path|alice/);
  });
});

describe('outboundHosts in a config file', () => {
  const servers = { mcpServers: { remote: { url: 'https://mcp.example.com/mcp' } } };

  it('is read from the top level into LoadedConfig.outboundHosts', () => {
    const loaded = parseConfigObject({ ...servers, outboundHosts: ['*.example.com', '127.0.0.1:8080'] }, 'mcp.json');
    expect(loaded.outboundHosts).toEqual(['*.example.com', '127.0.0.1:8080']);
    expect(parseConfigObject(servers, 'mcp.json').outboundHosts).toBeUndefined();
  });

  it.each([[['bad/host']], ['example.com'], [[42]]])('refuses %j as CONFIG_INVALID naming the key', (value) => {
    expect(() => parseConfigObject({ ...servers, outboundHosts: value }, 'mcp.json')).toThrow(
      expect.objectContaining({ code: ErrorCode.CONFIG_INVALID, details: { file: 'mcp.json', path: 'outboundHosts' } }),
    );
  });
});
