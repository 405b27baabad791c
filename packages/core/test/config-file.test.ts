import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, parseConfigObject } from '../src/config-file.js';
import { ErrorCode, UniversalMcpError } from '../src/errors.js';

const env = { HOME_DIR: '/home/me', TOKEN: 'sk-123', EMPTY: '' };

describe('loadConfig: the formats hosts write, unchanged', () => {
  it("reads Claude Desktop's claude_desktop_config.json", () => {
    const c = parseConfigObject(
      {
        mcpServers: {
          files: {
            command: 'npx',
            args: ['-y', '@modelcontextprotocol/server-filesystem', '${HOME_DIR}/docs'],
            env: { DEBUG: '1' },
          },
          remote: { url: 'https://mcp.example.com/mcp', headers: { Authorization: 'Bearer ${TOKEN}' } },
        },
      },
      'claude_desktop_config.json',
      env,
    );
    expect(c.servers).toEqual([
      // A stdio server from a file runs in the file's directory.
      {
        name: 'files',
        transport: 'stdio',
        command: 'npx',
        args: ['-y', '@modelcontextprotocol/server-filesystem', '/home/me/docs'],
        env: { DEBUG: '1' },
        cwd: process.cwd(),
      },
      {
        name: 'remote',
        transport: 'streamable_http',
        url: 'https://mcp.example.com/mcp',
        headers: { Authorization: 'Bearer sk-123' },
      },
    ]);
  });

  it("reads Claude Code's .mcp.json and Cursor's mcp.json (type: stdio | http | sse)", () => {
    const c = parseConfigObject(
      {
        mcpServers: {
          a: { type: 'stdio', command: 'node', args: ['a.js'] },
          b: { type: 'http', url: 'http://127.0.0.1:1/mcp', timeout: 5000 },
          c: { type: 'sse', url: 'http://127.0.0.1:1/sse' },
        },
      },
      '.mcp.json',
      env,
    );
    expect(c.servers.map((s) => s.transport)).toEqual(['stdio', 'streamable_http', 'sse']);
    expect(c.servers[1]).toMatchObject({ callTimeoutMs: 5000 });
  });

  it("reads VS Code's .vscode/mcp.json (servers, type)", () => {
    const c = parseConfigObject(
      {
        servers: {
          gh: { type: 'http', url: 'https://api.example.com/mcp' },
          local: { type: 'stdio', command: 'node', args: ['x.js'] },
        },
      },
      'mcp.json',
      env,
    );
    expect(c.servers.map((s) => `${s.name}:${s.transport}`)).toEqual(['gh:streamable_http', 'local:stdio']);
  });

  it('accepts our keys beside theirs, a top-level defaults, and disabled servers', () => {
    const c = parseConfigObject(
      {
        defaults: { callTimeoutMs: 5000, queue: { concurrency: 4 } },
        mcpServers: {
          a: { command: 'node', restart: 'transient', backoff: { initialDelayMs: 10 }, health: { intervalMs: 0 } },
          b: { command: 'node', disabled: true },
        },
      },
      undefined,
      env,
    );
    expect(c.defaults).toEqual({ callTimeoutMs: 5000, queue: { concurrency: 4 } });
    expect(c.servers).toEqual([
      {
        name: 'a',
        transport: 'stdio',
        command: 'node',
        restart: 'transient',
        backoff: { initialDelayMs: 10 },
        health: { intervalMs: 0 },
      },
    ]);
    expect(c.disabled).toEqual(['b']);
  });

  it('fills ${VAR}, ${env:VAR} and ${VAR:-default}; an empty variable takes the default', () => {
    const c = parseConfigObject(
      {
        mcpServers: {
          a: { url: 'https://${HOST:-localhost}:8443/mcp?t=${env:TOKEN}', headers: { X: '${EMPTY:-fallback}' } },
        },
      },
      undefined,
      env,
    );
    expect(c.servers[0]).toMatchObject({ url: 'https://localhost:8443/mcp?t=sk-123', headers: { X: 'fallback' } });
  });
});

describe('loadConfig: bad files', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'umcp-config-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it.each([
    ['not JSON', '{ "mcpServers": ', '', /not valid JSON/],
    ['no server list', '{ "defaults": {} }', '', /expected a "mcpServers" object .* or a "servers" object/],
    [
      'top-level typo',
      '{ "default": {}, "mcpServers": {} }',
      'default',
      /unknown top-level key "default" \(did you mean "defaults"\?\)/,
    ],
    [
      'unknown top-level key',
      '{ "widgets": {}, "mcpServers": {} }',
      'widgets',
      /unknown top-level key "widgets"; expected "mcpServers", "servers", "defaults"/,
    ],
    ['servers not an object', '{ "mcpServers": [] }', 'mcpServers', /expected an object of servers by name/],
    [
      'neither command nor url',
      '{ "mcpServers": { "x": { "args": [] } } }',
      'mcpServers.x',
      /expected "command" .* or "url"/,
    ],
    [
      'unknown type',
      '{ "mcpServers": { "x": { "type": "websocket", "url": "ws://a" } } }',
      'mcpServers.x.type',
      /expected "stdio", "http" or "sse", got "websocket"/,
    ],
    [
      'args not strings',
      '{ "mcpServers": { "x": { "command": "node", "args": [1] } } }',
      'mcpServers.x.args',
      /expected an array of strings/,
    ],
    [
      'env not strings',
      '{ "mcpServers": { "x": { "command": "node", "env": { "A": 1 } } } }',
      'mcpServers.x.env',
      /expected an object of strings/,
    ],
    [
      'bad url',
      '{ "mcpServers": { "x": { "url": "localhost:3000" } } }',
      'mcpServers.x.url',
      /expected an absolute http/,
    ],
    [
      'missing variable',
      '{ "mcpServers": { "x": { "url": "https://a/${NOPE}" } } }',
      'mcpServers.x.url',
      /environment variable NOPE is not set/,
    ],
    [
      'missing variable in args',
      '{ "mcpServers": { "x": { "command": "node", "args": ["a", "${NOPE}"] } } }',
      'mcpServers.x.args[1]',
      /NOPE is not set/,
    ],
    [
      'VS Code input variable',
      '{ "servers": { "x": { "type": "http", "url": "https://a", "headers": { "K": "${input:key}" } } } }',
      'servers.x.headers.K',
      /not a variable this loader fills in/,
    ],
    [
      'unknown field',
      '{ "mcpServers": { "x": { "command": "node", "comand": "x" } } }',
      'mcpServers.x.comand',
      /unknown field "comand" \(did you mean "command"\?\)/,
    ],
    [
      'misspelt policy field',
      '{ "mcpServers": { "x": { "command": "node", "backoff": { "initalDelayMs": 5 } } } }',
      'mcpServers.x.backoff',
      /unknown field\(s\) "initalDelayMs" \(did you mean "initialDelayMs"\?\); expected one of initialDelayMs, /,
    ],
    [
      'misspelt defaults field',
      '{ "defaults": { "queue": { "maxQueue": 5 } }, "mcpServers": {} }',
      'defaults.queue',
      /unknown field\(s\) "maxQueue" \(did you mean "maxQueued"\?\)/,
    ],
    [
      'timer too long',
      '{ "mcpServers": { "x": { "command": "node", "health": { "intervalMs": 2147483648 } } } }',
      'mcpServers.x.health.intervalMs',
      /at most 2147483647 ms/,
    ],
    [
      'bad policy beside',
      '{ "mcpServers": { "x": { "command": "node", "queue": { "concurrency": 0 } } } }',
      'mcpServers.x.queue.concurrency',
      /queue\.concurrency/,
    ],
    ['bad defaults', '{ "defaults": { "restart": "sometimes" }, "mcpServers": {} }', 'defaults.restart', /restart/],
    [
      'misspelt protocol field',
      '{ "mcpServers": { "x": { "command": "node", "protocl": "2026-07-28" } } }',
      'mcpServers.x.protocl',
      /unknown field "protocl" \(did you mean "protocol"\?\)/,
    ],
    [
      'unknown protocol revision',
      '{ "mcpServers": { "x": { "command": "node", "protocol": "2026-07-82" } } }',
      'mcpServers.x.protocol',
      /expected one of "auto"\|"2026-07-28"\|"2025-11-25"/,
    ],
    [
      'the 2026 era over HTTP+SSE',
      '{ "mcpServers": { "x": { "type": "sse", "url": "https://a/sse", "protocol": "2026-07-28" } } }',
      'mcpServers.x.protocol',
      /HTTP\+SSE servers speak 2025-11-25 only/,
    ],
  ])('%s: names the file, the server and the JSON path', async (_label, text, path, message) => {
    const file = join(dir, 'mcp.json');
    await writeFile(file, text);
    const err = await loadConfig(file, { env }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UniversalMcpError);
    expect(err).toMatchObject({ code: ErrorCode.CONFIG_INVALID, details: { file, path } });
    expect((err as Error).message.startsWith(file)).toBe(true);
    expect((err as Error).message).toMatch(message);
    if (path.includes('.x')) expect((err as Error).message).toContain('server "x"');
  });

  it('a server entry may pin its protocol revision', async () => {
    const loaded = parseConfigObject(
      { mcpServers: { x: { command: 'node', protocol: '2025-11-25' }, y: { url: 'https://a/mcp', protocol: 'auto' } } },
      'mcp.json',
    );
    expect(loaded.servers.map((s) => s.protocol)).toEqual(['2025-11-25', 'auto']);
  });

  it('a missing file says so', async () => {
    await expect(loadConfig(join(dir, 'nope.json'))).rejects.toMatchObject({
      code: ErrorCode.CONFIG_INVALID,
      message: expect.stringMatching(/cannot read the file \(ENOENT\)/),
    });
  });
});

describe("loadConfig: tool policy and the hosts' tool keys", () => {
  const stdio = { command: 'node', args: ['s.js'] };
  it.each([
    ['Cline / Roo Code / Windsurf disabledTools → deny', { disabledTools: ['rm'] }, { deny: ['rm'] }],
    ['Gemini CLI excludeTools → deny', { excludeTools: ['rm'] }, { deny: ['rm'] }],
    ['Gemini CLI includeTools → allow', { includeTools: ['ls', 'cat'] }, { allow: ['ls', 'cat'] }],
    ['Cline autoApprove → autoApprove', { autoApprove: ['ls'] }, { autoApprove: ['ls'] }],
    ['Roo Code alwaysAllow → autoApprove', { alwaysAllow: ['ls'] }, { autoApprove: ['ls'] }],
    ['Gemini CLI trust: true → approval never', { trust: true }, { approval: 'never' }],
    [
      'merged with our own tools (lists joined; our approval wins over trust)',
      { tools: { deny: ['a'], approval: 'always' }, disabledTools: ['b'], excludeTools: ['c'], trust: true },
      { deny: ['a', 'b', 'c'], approval: 'always' },
    ],
  ])('%s', (_label, keys, tools) => {
    const c = parseConfigObject({ mcpServers: { s: { ...stdio, ...keys } } }, undefined, env);
    expect(c.servers[0]!.tools).toEqual(tools);
  });

  it('trust: false and no tool keys leave tools unset; trusted is ours', () => {
    const c = parseConfigObject(
      { mcpServers: { a: { ...stdio, trust: false }, b: { ...stdio, trusted: true } } },
      undefined,
      env,
    );
    expect(c.servers[0]!.tools).toBeUndefined();
    expect(c.servers[1]).toMatchObject({ trusted: true });
    expect(c.servers[1]!.tools).toBeUndefined();
  });

  it("top-level tools and pins (resolved against the file's directory)", () => {
    const c = parseConfigObject(
      { tools: { readOnly: true, onChange: 'hold' }, pins: 'state/pins.json', mcpServers: {} },
      '/etc/umcp/mcp.json',
      env,
    );
    expect(c.tools).toEqual({ readOnly: true, onChange: 'hold' });
    expect(c.pins).toBe('/etc/umcp/state/pins.json');
    expect(parseConfigObject({ mcpServers: {} }, undefined, env)).not.toHaveProperty('tools');
  });

  it.each([
    [
      'disabledTools not an array',
      { mcpServers: { x: { ...stdio, disabledTools: 'rm' } } },
      'mcpServers.x.disabledTools',
      /array of tool names/,
    ],
    [
      'includeTools with a number',
      { mcpServers: { x: { ...stdio, includeTools: [1] } } },
      'mcpServers.x.includeTools',
      /array of tool names/,
    ],
    ['trust not a boolean', { mcpServers: { x: { ...stdio, trust: 'yes' } } }, 'mcpServers.x.trust', /true or false/],
    [
      'a server tools typo',
      { mcpServers: { x: { ...stdio, tools: { onChange: 'stop' } } } },
      'mcpServers.x.tools.onChange',
      /./,
    ],
    ['a top-level tools typo', { tools: { alow: ['a'] }, mcpServers: {} }, 'tools', /alow/],
    ['pins not a string', { pins: 3, mcpServers: {} }, 'pins', /expected a file path/],
  ])('%s: CONFIG_INVALID naming the path', (_label, doc, path, message) => {
    const err = (() => {
      try {
        return parseConfigObject(doc, 'mcp.json', env);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(UniversalMcpError);
    expect(err).toMatchObject({ code: ErrorCode.CONFIG_INVALID, details: { path } });
    expect((err as Error).message).toMatch(message);
  });
});
