// What run.mjs and connect.mjs share: the two eras, the clients they drive (SDK v1, SDK v2, the
// facade's server config), and the opening log the v2 echo server writes (ECHO_LOG), read to count
// `server/discover` probes and to tell which era a client really opened with.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client as ClientV2, StreamableHTTPClientTransport as HttpV2 } from '@modelcontextprotocol/client';
import { StdioClientTransport as StdioV2 } from '@modelcontextprotocol/client/stdio';
import { Client as ClientV1 } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport as StdioV1 } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport as HttpV1 } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { parseServerConfig } from '@universal-mcp/core';

export const LEGACY = '2025-11-25';
export const MODERN = '2026-07-28';

/**
 * Whether the facade's server config has its era field `protocol?: 'auto' | '2026-07-28' |
 * '2025-11-25'` yet (it comes with packages/core on SDK v2). Until then the config schema rejects the
 * unknown field, so facadeConfig leaves it out and the facade speaks 2025-11-25 whatever era the
 * bench asks for: the benches print the era the server saw, so such a row is never mistaken for 2026.
 */
export const FACADE_HAS_PROTOCOL = (() => {
  try {
    parseServerConfig({ name: 'probe', transport: 'stdio', command: 'node', protocol: 'auto' });
    return true;
  } catch (err) {
    if (err.code !== 'CONFIG_INVALID') throw err;
    return false;
  }
})();

/**
 * The facade's config for one server. `target` is `{ transport: 'stdio', command, args, env }` or
 * `{ transport: 'streamable_http', url }`; `protocol` is the facade's era setting.
 */
export function facadeConfig(name, target, protocol) {
  const where =
    target.transport === 'stdio'
      ? { transport: 'stdio', command: target.command, args: target.args, env: target.env }
      : { transport: 'streamable_http', url: target.url };
  return FACADE_HAS_PROTOCOL ? { name, ...where, protocol } : { name, ...where };
}

/** A connected bare SDK v1 Client (2025-11-25 only: v1 has no 2026 era). */
export async function connectSdkV1(target) {
  const client = new ClientV1({ name: 'bench', version: '0' });
  await client.connect(
    target.transport === 'stdio'
      ? new StdioV1({ command: target.command, args: target.args, env: target.env, stderr: 'ignore' })
      : new HttpV1(new URL(target.url)),
  );
  return client;
}

/**
 * A connected bare SDK v2 Client; `mode` is its `versionNegotiation.mode` ('legacy', 'auto', `{ pin }`);
 * `headers` go on every HTTP request (a gateway's bearer token).
 */
export async function connectSdkV2(target, mode, headers = {}) {
  const client = new ClientV2({ name: 'bench', version: '0' }, { versionNegotiation: { mode } });
  await client.connect(
    target.transport === 'stdio'
      ? new StdioV2({ command: target.command, args: target.args, env: target.env, stderr: 'ignore' })
      : new HttpV2(new URL(target.url), { requestInit: { headers } }),
  );
  return client;
}

/**
 * The file the v2 echo server appends `server/discover` and `initialize` lines to (ECHO_LOG), in a
 * private temporary directory. `mark()` then `since(mark)` counts what arrived in between.
 */
export class OpeningLog {
  #dir = mkdtempSync(join(tmpdir(), 'umcp-bench-'));
  /** The file's path, for ECHO_LOG. */
  path = join(this.#dir, 'openings.log');

  constructor() {
    writeFileSync(this.path, '', { mode: 0o600 });
  }

  /** Where the log ends now. */
  mark() {
    return readFileSync(this.path, 'utf8').length;
  }

  /**
   * The openings since `mark`: `{ discover, initialize }` counts, and the `era` a client that connected
   * meanwhile opened with (any `initialize` means 2025; a 2026 client sends none).
   */
  since(mark) {
    const lines = readFileSync(this.path, 'utf8').slice(mark).split('\n');
    const initialize = lines.filter((l) => l === 'initialize').length;
    return {
      discover: lines.filter((l) => l === 'server/discover').length,
      initialize,
      era: initialize > 0 ? LEGACY : MODERN,
    };
  }

  remove() {
    rmSync(this.#dir, { recursive: true, force: true });
  }
}

/** Why a client (`kind`: 'facade', 'sdk1', …) spoke `spoke` when the bench asked for `era`; '' when it did as asked. */
export function offEra(kind, spoke, era) {
  if (spoke === era) return '';
  if (kind === 'facade' && !FACADE_HAS_PROTOCOL) return 'the facade has no `protocol` field yet';
  return kind === 'sdk1' ? 'SDK v1 has no 2026 era' : `${era} was asked for`;
}
