import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { GATEWAY_INFO } from '../../packages/gateway/src/session-server.js';
import { UniversalMcpClient } from '@universal-mcp/supervisor';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = join(import.meta.dirname, '..', '..');
const versionOf = (pkg: string): string =>
  (JSON.parse(readFileSync(join(root, 'packages', pkg, 'package.json'), 'utf8')) as { version: string }).version;

// A stdio "server" that writes the clientInfo of the first request it gets to stderr and answers nothing.
const RECORDER = `
process.stdin.once('data', (chunk) => {
  const msg = JSON.parse(String(chunk).split('\\n')[0]);
  process.stderr.write('clientInfo ' + JSON.stringify(msg.params.clientInfo) + '\\n');
});
setInterval(() => {}, 1000);
`;

// Versions come from each package's package.json (version.ts), so `changeset version` is the one place to bump.
describe('versions read from package.json', () => {
  it('umcp --version prints the cli package version', async () => {
    const { stdout } = await run(process.execPath, [join(root, 'packages', 'cli', 'bin', 'umcp.js'), '--version']);
    expect(stdout.trim()).toBe(`umcp ${versionOf('cli')}`);
  });

  it('the clientInfo a server is sent carries the core package version', async () => {
    await using client = new UniversalMcpClient({ protocol: '2025-11-25' });
    const seen = new Promise<string>((resolve) => {
      client.on('server:stderr', ({ line }) => {
        if (line.startsWith('clientInfo ')) resolve(line.slice('clientInfo '.length));
      });
    });
    await client.addServer(
      { name: 'rec', transport: 'stdio', command: process.execPath, args: ['-e', RECORDER], restart: 'temporary' },
      { waitForReady: false },
    );
    expect(JSON.parse(await seen)).toEqual({ name: 'universal-mcp', version: versionOf('core') });
  });

  it('the gateway names itself with the gateway package version', () => {
    expect(GATEWAY_INFO.version).toBe(versionOf('gateway'));
  });
});
