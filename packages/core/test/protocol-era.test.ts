import * as sdk from '@modelcontextprotocol/client';
import { describe, expect, it } from 'vitest';
import {
  LEGACY_VERSIONS,
  META_CLIENT_CAPABILITIES,
  META_CLIENT_INFO,
  META_LOG_LEVEL,
  META_PROTOCOL_VERSION,
  META_SERVER_INFO,
  PROTOCOL_2025,
  PROTOCOL_2026,
  chooseVersion,
} from '../src/protocol-era.js';

describe('protocol-era constants', () => {
  it('are the SDK v2 ones', () => {
    expect([
      META_PROTOCOL_VERSION,
      META_CLIENT_CAPABILITIES,
      META_CLIENT_INFO,
      META_LOG_LEVEL,
      META_SERVER_INFO,
    ]).toEqual([
      sdk.PROTOCOL_VERSION_META_KEY,
      sdk.CLIENT_CAPABILITIES_META_KEY,
      sdk.CLIENT_INFO_META_KEY,
      sdk.LOG_LEVEL_META_KEY,
      sdk.SERVER_INFO_META_KEY,
    ]);
    expect(LEGACY_VERSIONS).toEqual(sdk.SUPPORTED_PROTOCOL_VERSIONS);
    expect(PROTOCOL_2025).toBe(sdk.LATEST_PROTOCOL_VERSION);
  });
});

describe('chooseVersion', () => {
  it.each([
    [['2026-07-28', '2025-11-25'], 'auto', PROTOCOL_2026],
    [['2025-11-25', '2026-07-28'], 'auto', PROTOCOL_2026],
    [['2025-11-25'], 'auto', PROTOCOL_2025],
    // Any initialize-era revision: the handshake settles which one.
    [['2025-06-18'], 'auto', PROTOCOL_2025],
    [['2027-01-01', '2025-03-26'], 'auto', PROTOCOL_2025],
    [['2026-07-28'], '2026-07-28', PROTOCOL_2026],
    [['2026-07-28', '2025-11-25'], '2025-11-25', PROTOCOL_2025],
  ] as const)('%j wanting %s → %s', (offered, wanted, version) => {
    expect(chooseVersion(offered, wanted)).toEqual({ ok: true, version });
  });

  it.each([
    [['2027-01-01'], 'auto', 'the server offers "2027-01-01"; this client speaks 2026-07-28 or 2025-11-25'],
    [['2025-11-25'], '2026-07-28', 'the server offers "2025-11-25"; this client speaks 2026-07-28'],
    [['2026-07-28'], '2025-11-25', 'the server offers "2026-07-28"; this client speaks 2025-11-25'],
    [[], 'auto', 'the server offers no protocol version; this client speaks 2026-07-28 or 2025-11-25'],
  ] as const)('refuses %j wanting %s, naming what the server offers', (offered, wanted, reason) => {
    expect(chooseVersion(offered, wanted)).toEqual({ ok: false, offered, wanted, reason });
  });

  it('reads a hostile list in part: non-strings ignored, at most 16 named, each cut', () => {
    const offered = [
      5,
      null,
      { v: 1 },
      'x'.repeat(10_000),
      ...Array.from({ length: 100_000 }, (_, i) => `v${i}`),
    ] as unknown as string[];
    const choice = chooseVersion(offered, 'auto');
    expect(choice.ok).toBe(false);
    if (choice.ok) return;
    expect(choice.offered).toHaveLength(16);
    expect(choice.offered[0]).toBe(`${'x'.repeat(64)}…`);
    expect(choice.reason.length).toBeLessThan(400);
    expect(choice.reason).toMatch(/and 981 more; this client speaks/);
    expect(chooseVersion('2026-07-28' as unknown as string[], 'auto').ok).toBe(false);
  });

  it('does not find a version past the first 1000 entries', () => {
    const late = [...Array.from({ length: 1000 }, () => 'nope'), '2026-07-28'];
    expect(chooseVersion(late, 'auto').ok).toBe(false);
  });
});
