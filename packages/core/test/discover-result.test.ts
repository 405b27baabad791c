import { describe, expect, it } from 'vitest';
import { readDiscoverResult, readUnsupportedVersion } from '../src/discover-result.js';

const valid = {
  resultType: 'complete',
  supportedVersions: ['2026-07-28'],
  capabilities: { tools: { listChanged: true }, extensions: { 'io.modelcontextprotocol/ui': {} } },
  instructions: 'Use the tools.',
  ttlMs: 60_000,
  cacheScope: 'public',
  _meta: {
    'io.modelcontextprotocol/serverInfo': { name: 'srv', version: '2.0.0', title: 'Server', icons: [{ src: 'x' }] },
  },
};

describe('readDiscoverResult', () => {
  it('reads a full result', () => {
    expect(readDiscoverResult(valid)).toEqual({
      ok: true,
      discover: {
        supportedVersions: ['2026-07-28'],
        capabilities: valid.capabilities,
        serverInfo: { name: 'srv', version: '2.0.0', title: 'Server' },
        instructions: 'Use the tools.',
        ttlMs: 60_000,
        cacheScope: 'public',
      },
    });
  });

  it('reads cache hints and identity leniently, as the SDK does', () => {
    for (const [ttlMs, cacheScope, serverInfo] of [
      [undefined, undefined, undefined],
      [-5, 'shared', { name: 'x' }],
      [1.5, 7, 'srv'],
      ['60', null, { name: 1, version: '1' }],
    ]) {
      const read = readDiscoverResult({
        supportedVersions: [],
        capabilities: {},
        ttlMs,
        cacheScope,
        _meta: { 'io.modelcontextprotocol/serverInfo': serverInfo },
      });
      expect(read).toEqual({
        ok: true,
        discover: {
          supportedVersions: [],
          capabilities: {},
          serverInfo: undefined,
          instructions: undefined,
          ttlMs: 0,
          cacheScope: 'private',
        },
      });
    }
  });

  it.each([
    [null, 'the result is not an object'],
    [[], 'the result is not an object'],
    [{ capabilities: {} }, '"supportedVersions" is not a list of strings'],
    [{ supportedVersions: ['2026-07-28', 5], capabilities: {} }, '"supportedVersions" is not a list of strings'],
    [{ supportedVersions: '2026-07-28', capabilities: {} }, '"supportedVersions" is not a list of strings'],
    [{ supportedVersions: [] }, '"capabilities" is not an object'],
    [{ supportedVersions: [], capabilities: [] }, '"capabilities" is not an object'],
    [{ supportedVersions: [], capabilities: { tools: true } }, '"capabilities.tools" is not an object'],
  ])('refuses %j: %s', (result, reason) => {
    expect(readDiscoverResult(result)).toEqual({ ok: false, reason });
  });

  it('bounds what a hostile server sends', () => {
    const deep = JSON.parse(`{"experimental":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}}`);
    expect(readDiscoverResult({ supportedVersions: [], capabilities: deep })).toEqual({
      ok: false,
      reason: '"capabilities" is too deep or too large',
    });
    const big = { experimental: { blob: 'x'.repeat(300 * 1024) } };
    expect(readDiscoverResult({ supportedVersions: [], capabilities: big }).ok).toBe(false);
    const read = readDiscoverResult({
      supportedVersions: Array.from({ length: 10_000 }, () => 'v'.repeat(1000)),
      capabilities: {},
      instructions: 'i'.repeat(1_000_000),
      _meta: { 'io.modelcontextprotocol/serverInfo': { name: 'n'.repeat(100_000), version: '1' } },
    });
    if (!read.ok) throw new Error(read.reason);
    expect(read.discover.supportedVersions).toHaveLength(100);
    expect(read.discover.supportedVersions[0]).toHaveLength(64);
    expect(read.discover.instructions).toHaveLength(64 * 1024);
    expect(read.discover.serverInfo?.name).toHaveLength(1024);
  });
});

describe('readUnsupportedVersion', () => {
  it('reads a -32022 error’s data', () => {
    expect(readUnsupportedVersion({ supported: ['2026-07-28', '2025-11-25'], requested: '1900-01-01' })).toEqual({
      supported: ['2026-07-28', '2025-11-25'],
      requested: '1900-01-01',
    });
    expect(readUnsupportedVersion({ supported: ['2025-11-25'], requested: 3 })).toEqual({
      supported: ['2025-11-25'],
      requested: undefined,
    });
  });

  it.each([[undefined], ['x'], [{}], [{ supported: [] }], [{ supported: ['a', 1] }], [{ supported: 'a' }]])(
    'finds nothing actionable in %j',
    (data) => {
      expect(readUnsupportedVersion(data)).toBeUndefined();
    },
  );
});
