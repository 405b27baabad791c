import { describe, expect, it } from 'vitest';
import { parseConfigObject } from '../src/config-file.js';

const servers = { mcpServers: { a: { command: 'node' } } };
const env = { READERS_TOKEN: 'readers-token-0123456789' };

describe('config endpoints', () => {
  it('reads the top-level endpoints, filling in ${VAR}', () => {
    const loaded = parseConfigObject(
      {
        ...servers,
        endpoints: { readers: { path: '/readers/mcp', token: '${READERS_TOKEN}', tools: { readOnly: true } } },
      },
      'mcp.json',
      env,
    );
    expect(loaded.endpoints).toEqual({
      readers: { path: '/readers/mcp', token: 'readers-token-0123456789', tools: { readOnly: true } },
    });
    expect(parseConfigObject(servers, 'mcp.json', env).endpoints).toEqual({});
  });

  it.each([
    [{ readers: { path: '/r', token: 'short' } }, /endpoints\.readers\.token: expected a token of at least 16/],
    [{ readers: { path: 'r', token: '${READERS_TOKEN}' } }, /endpoints\.readers\.path: expected a path/],
    [{ readers: { path: '/r', token: '${NOPE}' } }, /endpoints\.readers\.token: environment variable NOPE is not set/],
    [{ readers: { path: '/r', token: '${READERS_TOKEN}', tools: { only: [] } } }, /endpoints\.readers\.tools/],
    // Approval and pinning are the client's: an endpoint that names them would be silently ignored.
    [{ readers: { path: '/r', token: '${READERS_TOKEN}', tools: { approval: 'never' } } }, /endpoints\.readers\.tools/],
    [{ readers: { path: '/r', token: '${READERS_TOKEN}', port: 1 } }, /endpoints\.readers: .*port/],
    [{ readers: 'x' }, /endpoints\.readers: expected an object/],
    [[], /endpoints: expected an object of endpoints by name/],
  ])('refuses a bad endpoint, naming where (%#), never its token', (endpoints, message) => {
    let failed: unknown;
    try {
      parseConfigObject({ ...servers, endpoints }, 'mcp.json', env);
    } catch (err) {
      failed = err;
    }
    expect(failed).toMatchObject({ code: 'CONFIG_INVALID', message: expect.stringMatching(message) });
    expect((failed as Error).message).not.toContain(env.READERS_TOKEN);
  });
});
