import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE } from '../helpers/servers.js';

// The packages as a program outside this repository gets them: each published package packed as
// `pnpm pack` makes it for the registry, the tarballs installed with npm in an empty folder (their
// own dependencies come from the npm registry), then imported, run and type-checked there.
const run = promisify(execFile);
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const PACKAGES = ['core', 'supervisor', 'http-guard', 'toolset', 'llm', 'prometheus', 'dashboard', 'gateway', 'cli'];
const tsc = join(dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin', 'tsc');

// pnpm sets NODE_PATH for the scripts it runs; a program outside the monorepo has none.
const { NODE_PATH: _nodePath, ...outside } = process.env;

let dir: string;
let app: string;
let tarballs: string[];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'umcp-pack-'));
  for (const p of PACKAGES) await run('pnpm', ['pack', '--pack-destination', dir], { cwd: join(root, 'packages', p) });
  tarballs = (await readdir(dir)).filter((f) => f.endsWith('.tgz')).map((f) => join(dir, f));
  app = join(dir, 'app');
  await mkdir(app);
  await writeFile(join(app, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  await run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...tarballs], {
    cwd: app,
    timeout: 240_000,
  });
}, 300_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the packed packages, outside the monorepo', () => {
  it('each tarball: LICENSE, README, sources, source maps that resolve, no workspace: ranges', async () => {
    expect(tarballs).toHaveLength(PACKAGES.length);
    for (const p of PACKAGES) {
      const { stdout } = await run('tar', ['tzf', tarballs.find((t) => t.includes(`universal-mcp-${p}-`))!]);
      const files = stdout.trim().split('\n');
      expect(files, p).toEqual(
        expect.arrayContaining([
          'package/LICENSE',
          'package/README.md',
          'package/package.json',
          'package/dist/index.js',
          'package/dist/index.d.ts',
        ]),
      );
      // Every declaration map points at a source file that is in the tarball.
      const installed = join(app, 'node_modules', '@universal-mcp', p);
      for (const map of files.filter((f) => f.endsWith('.d.ts.map'))) {
        const { sources } = JSON.parse(await readFile(join(installed, map.replace(/^package\//, '')), 'utf8')) as {
          sources: string[];
        };
        for (const source of sources)
          expect(
            existsSync(join(installed, dirname(map.replace(/^package\//, '')), source)),
            `${p}: ${map} → ${source}`,
          ).toBe(true);
      }
      const manifest = JSON.parse(await readFile(join(installed, 'package.json'), 'utf8')) as {
        dependencies: Record<string, string>;
      };
      expect(
        Object.values(manifest.dependencies).some((v) => v.startsWith('workspace:')),
        p,
      ).toBe(false);
    }
  });

  it(
    'a program imports @universal-mcp/supervisor, connects a server and calls a tool',
    { timeout: 120_000 },
    async () => {
      await writeFile(
        join(app, 'main.mjs'),
        `import { existsSync } from 'node:fs';
import { UniversalMcpClient } from '@universal-mcp/supervisor';
const client = new UniversalMcpClient();
const args = [${JSON.stringify(FIXTURE)}, 'stdio'];
await client.addServer({ name: 'fx', type: 'stdio', command: process.execPath, args });
const result = await client.callTool('fx', 'echo', { text: 'from outside' });
console.log(result.content[0].text, client.listTools('fx').length > 0);
// @universal-mcp/llm without the \`ai\` package (an optional peer): it imports and works; toAiSdk() says what it needs.
const { createToolset } = await import('@universal-mcp/llm');
const toolset = createToolset(client);
let aiMissing = '';
try {
  toolset.toAiSdk();
} catch (err) {
  aiMissing = err.message;
}
console.log(toolset.toOpenAI().length === toolset.list().length, existsSync('node_modules/ai'), aiMissing);
toolset.close();
await client.close();
`,
      );
      const { stdout } = await run(process.execPath, ['main.mjs'], { cwd: app, timeout: 100_000, env: outside });
      expect(stdout).toBe('from outside true\ntrue false toAiSdk() needs the "ai" package: npm install ai\n');
    },
  );

  it.each(['node16', 'bundler'] as const)(
    'a TypeScript consumer type-checks under moduleResolution %s',
    { timeout: 300_000 },
    async (resolution) => {
      await writeFile(
        join(app, 'consumer.ts'),
        `import { ErrorCode, UniversalMcpClient, isUniversalMcpError, nodeFetch } from '@universal-mcp/supervisor';
import type { ServerInfo, Tool } from '@universal-mcp/supervisor';
import { loadConfig } from '@universal-mcp/core';
export async function main(): Promise<number> {
  const client = new UniversalMcpClient({ defaults: { whileReconnecting: 'wait' } });
  const info: ServerInfo = await client.addServer({ name: 'x', type: 'http', url: 'http://127.0.0.1:1/mcp', fetch: nodeFetch }, { waitForReady: false });
  const tools: Tool[] = client.listTools('x');
  const all: Record<string, Tool[]> = client.listTools();
  client.on('server:given-up', (e) => console.log(e.server, e.error.code));
  try {
    await client.callTool('x', 'echo', { text: 'hi' }, { timeoutMs: 1000 });
  } catch (err) {
    if (isUniversalMcpError(err, ErrorCode.TIMEOUT)) {
      const kind: 'idle' | 'deadline' | undefined = err.details?.kind;
      console.log(kind);
    }
  }
  await loadConfig({ mcpServers: { a: { command: 'node' } } });
  await client.close();
  return tools.length + Object.keys(all).length + info.restarts;
}
`,
      );
      const module = resolution === 'node16' ? 'node16' : 'esnext';
      await writeFile(
        join(app, `tsconfig.${resolution}.json`),
        JSON.stringify({
          compilerOptions: {
            strict: true,
            noEmit: true,
            target: 'es2022',
            // The SDK's own declarations use fetch's DOM types (HeadersInit, RequestInit).
            lib: ['es2023', 'esnext.disposable', 'dom'],
            module,
            moduleResolution: resolution,
            skipLibCheck: false,
            types: ['node'],
            typeRoots: [join(root, 'node_modules', '@types')],
          },
          files: ['consumer.ts'],
        }),
      );
      const checked = await run(process.execPath, [tsc, '-p', `tsconfig.${resolution}.json`], {
        cwd: app,
        timeout: 280_000,
      }).catch((e: { stdout: string }) => e);
      expect((checked as { stdout: string }).stdout).toBe('');
    },
  );

  // A consumer's strictest build: `exactOptionalPropertyTypes`, every declaration file checked, no DOM lib (a Node
  // service has none). Every published package's types are imported, so each of their declarations is checked.
  it(
    "a strict consumer without the DOM lib type-checks every package's declarations",
    { timeout: 300_000 },
    async () => {
      await writeFile(
        join(app, 'strict.ts'),
        `${PACKAGES.map((p) => `import type * as ${p.replace('-', '_')} from '@universal-mcp/${p}';`).join('\n')}
import { UniversalMcpClient } from '@universal-mcp/supervisor';
import type { CallOptions, ServerConfigInput } from '@universal-mcp/supervisor';
export type Everything = [${PACKAGES.map((p) => `typeof ${p.replace('-', '_')}`).join(', ')}];
const config: ServerConfigInput = { name: 'x', transport: 'streamable_http', url: 'http://127.0.0.1:1/mcp' };
const options: CallOptions = { timeoutMs: 1000, onProgress: (p) => console.log(p.progress, p.total) };
export async function main(): Promise<void> {
  await using client = new UniversalMcpClient();
  await client.addServer(config, { waitForReady: false });
  await client.callTool('x', 'echo', { text: 'hi' }, options).catch(() => undefined);
}
`,
      );
      // The MCP SDK's own shared/transport.d.ts names DOM's \`HeadersInit\` (normalizeHeaders), and every SDK client
      // or server type imports that file: a consumer without the DOM lib declares the name, as for the SDK alone.
      await writeFile(
        join(app, 'headers-init.d.ts'),
        'type HeadersInit = Headers | Record<string, string> | [string, string][];\n',
      );
      await writeFile(
        join(app, 'tsconfig.strict.json'),
        JSON.stringify({
          compilerOptions: {
            strict: true,
            exactOptionalPropertyTypes: true,
            noUncheckedIndexedAccess: true,
            noEmit: true,
            target: 'es2022',
            lib: ['es2023', 'esnext.disposable'],
            module: 'node16',
            moduleResolution: 'node16',
            skipLibCheck: false,
            types: ['node'],
            typeRoots: [join(root, 'node_modules', '@types')],
          },
          files: ['headers-init.d.ts', 'strict.ts'],
        }),
      );
      const checked = await run(process.execPath, [tsc, '-p', 'tsconfig.strict.json'], {
        cwd: app,
        timeout: 280_000,
      }).catch((e: { stdout: string }) => e);
      expect((checked as { stdout: string }).stdout).toBe('');
    },
  );

  it('the umcp bin runs from the installed package', async () => {
    const { stdout } = await run(join(app, 'node_modules', '.bin', 'umcp'), ['--version'], { cwd: app, env: outside });
    expect(stdout).toMatch(/^umcp \d+\.\d+\.\d+\n$/);
  });
});
