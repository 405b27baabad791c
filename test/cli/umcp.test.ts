import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RUG_PULL } from '../helpers/hostile-servers.js';
import { descendantsOf, eventually, FIXTURE, HOSTILE, UMCP } from '../helpers/servers.js';
import { ERA_FIXTURE } from '../v2/era-servers.js';

// The built `umcp`, spawned as a user runs it, against the fixture and example servers.

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function umcp(args: string[], options: { cwd?: string; onStart?: (child: ChildProcess) => void } = {}): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [UMCP, ...args], { cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    options.onStart?.(child);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const fixture = (env: Record<string, string> = {}) => ({ command: process.execPath, args: [FIXTURE, 'stdio'], env });

// Each test runs the built CLI several times, one process after another; a process takes seconds on a
// loaded 2-core machine (two copies of the suite at once), so the file's tests get 90 s, not the default 30 s.
describe('umcp', { timeout: 90_000 }, () => {
  let dir: string;
  let config: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'umcp-cli-'));
    config = join(dir, 'mcp.json');
    await writeFile(
      config,
      JSON.stringify({
        mcpServers: {
          fx: fixture({ CANCEL_LOG: join(dir, 'cancelled.log') }),
          other: { type: 'stdio', ...fixture() },
          broken: {
            command: process.execPath,
            args: ['-e', 'console.error("broken on purpose"); process.exit(4)'],
            restart: 'temporary',
          },
        },
      }),
    );
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('prints help for every command and the version; usage errors exit 2 with one line', async () => {
    const version = await umcp(['--version']);
    expect(version).toMatchObject({ code: 0, stdout: expect.stringMatching(/^umcp \d+\.\d+\.\d+\n$/) });
    const help = await umcp(['help']);
    expect(help.code).toBe(0);
    for (const cmd of ['servers', 'tools', 'call', 'watch', 'resources', 'prompts', 'read'])
      expect(help.stdout).toContain(cmd);
    // Eleven processes: started side by side, as one at a time they outlast the timeout on a loaded machine.
    const commands = ['servers', 'tools', 'call', 'watch', 'resources', 'prompts', 'read'];
    const [helps, bad, flag] = await Promise.all([
      Promise.all(commands.map((cmd) => umcp([cmd, '--help']))),
      umcp(['frobnicate']),
      umcp(['servers', '--nope']),
    ]);
    commands.forEach((cmd, i) => {
      expect(helps[i]?.code, cmd).toBe(0);
      expect(helps[i]?.stdout, cmd).toMatch(new RegExp(`^Usage: umcp ${cmd}`));
    });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^umcp: unknown command "frobnicate" \(expected one of/);
    expect(flag.code).toBe(2);
    expect(flag.stderr).not.toMatch(/\n\s+at /); // no stack trace
  }, 90_000);

  it('servers: state, tools, restarts and why a server failed; exit 3 when one is down', async () => {
    const r = await umcp(['servers', '--config', config]);
    expect(r.code).toBe(3);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^NAME\s+TRANSPORT\s+STATE\s+PROTOCOL\s+TOOLS\s+RESTARTS\s+LAST ERROR$/);
    // The fixture is a 2025-era server (SDK v1): the revision initialize settled.
    expect(lines.find((l) => l.startsWith('fx '))).toMatch(/^fx\s+stdio\s+ready\s+2025-11-25\s+\d+\s+0$/);
    expect(lines.find((l) => l.startsWith('broken '))).toMatch(
      /broken\s+stdio\s+(failed|given up)\s+-\s+0\s+\d+\s+.*exited with code 4/,
    );
    const one = await umcp(['servers', '--config', config, '--server', 'fx', '--json']);
    expect(one.code).toBe(0);
    expect(JSON.parse(one.stdout)).toEqual([
      expect.objectContaining({
        name: 'fx',
        state: 'ready',
        transport: 'stdio',
        era: '2025-11-25',
        protocolVersion: '2025-11-25',
      }),
    ]);
  });

  it('servers: the revision of each; --protocol pins it, a server without it is given up (exit 3)', async () => {
    const file = join(dir, 'eras.json');
    const era = { command: process.execPath, args: [ERA_FIXTURE, 'stdio'] };
    const pinned = { ...fixture(), protocol: '2025-11-25' };
    await writeFile(file, JSON.stringify({ mcpServers: { new: era, old: fixture(), pinned } }));
    const [auto, forced] = await Promise.all([
      umcp(['servers', '--config', file]),
      umcp(['servers', '--config', file, '--protocol', '2026-07-28', '--json']),
    ]);
    expect(auto.code).toBe(0);
    expect(auto.stdout).toMatch(/^new\s+stdio\s+ready\s+2026-07-28\s/m);
    expect(auto.stdout).toMatch(/^old\s+stdio\s+ready\s+2025-11-25\s/m);
    expect(forced.code).toBe(3);
    const rows = JSON.parse(forced.stdout) as ({ name: string } & Record<string, unknown>)[];
    expect(rows.find((r) => r.name === 'new')).toMatchObject({ era: '2026-07-28' });
    // The 2025-only server does not offer the pinned revision; one whose config says 2025-11-25 keeps it.
    expect(rows.find((r) => r.name === 'old')).toMatchObject({
      givenUp: true,
      lastError: { code: 'UNSUPPORTED_PROTOCOL_VERSION' },
    });
    expect(rows.find((r) => r.name === 'pinned')).toMatchObject({ era: '2025-11-25' });
  });

  it('tools: names and descriptions, or full schemas with --json', async () => {
    const r = await umcp(['tools', 'fx', '--config', config]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^fx\s+echo\s+Echo text back$/m);
    const j = await umcp(['tools', 'fx', '--config', config, '--json']);
    const tools = JSON.parse(j.stdout) as Record<string, { name: string; inputSchema: object }[]>;
    expect(tools.fx!.find((t) => t.name === 'add')!.inputSchema).toMatchObject({
      type: 'object',
      required: ['a', 'b'],
    });
  });

  it("tools and call obey the config's tool policy: a host's disabledTools and the top-level tools", async () => {
    const file = join(dir, 'policy.json');
    await writeFile(
      file,
      JSON.stringify({ tools: { deny: ['fx/add'] }, mcpServers: { fx: { ...fixture(), disabledTools: ['echo'] } } }),
    );
    const [listed, called] = await Promise.all([
      umcp(['tools', 'fx', '--config', file]),
      umcp(['call', 'fx', 'echo', '--arg', 'text=hi', '--config', file]),
    ]);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/^fx\s+weather\s/m);
    expect(listed.stdout).not.toMatch(/^fx\s+echo\s/m);
    expect(listed.stdout).not.toMatch(/^fx\s+add\s/m);
    expect(called.code).not.toBe(0);
    expect(called.stderr).toContain('TOOL_DENIED');
  });

  it('call: JSON or --arg arguments, text printed as text, structured content as JSON', async () => {
    const a = await umcp(['call', 'fx', 'add', '{"a": 2, "b": 40}', '--config', config]);
    expect(a).toMatchObject({ code: 0, stdout: '42\n' });
    const b = await umcp(['call', 'fx', 'echo', '--arg', 'text=hello world', '--config', config]);
    expect(b).toMatchObject({ code: 0, stdout: 'hello world\n' });
    // Text and structured content: the text only, or one JSON document with --json (one document for a pipe).
    const s = await umcp(['call', 'fx', 'weather', '--arg', 'city=Oslo', '--config', config]);
    expect(s.stdout).toBe('Oslo: 21\n');
    const sj = await umcp(['call', 'fx', 'weather', '--arg', 'city=Oslo', '--json', '--config', config]);
    expect(JSON.parse(sj.stdout)).toMatchObject({
      content: [{ text: 'Oslo: 21' }],
      structuredContent: { city: 'Oslo', celsius: 21 },
    });
    const j = await umcp(['call', 'fx', 'echo', '--arg', 'text=x', '--json', '--config', config]);
    expect(JSON.parse(j.stdout)).toEqual({ content: [{ type: 'text', text: 'x' }] });
  });

  it('call: --arg values take the type the tool schema gives them', async () => {
    // text is a string: "123" stays a string; a and b are numbers: parsed.
    expect(await umcp(['call', 'fx', 'echo', '--arg', 'text=123', '--config', config])).toMatchObject({
      code: 0,
      stdout: '123\n',
    });
    expect(await umcp(['call', 'fx', 'echo', '--arg', 'text=true', '--config', config])).toMatchObject({
      code: 0,
      stdout: 'true\n',
    });
    expect(await umcp(['call', 'fx', 'add', '--arg', 'a=2', '--arg', 'b=0.5', '--config', config])).toMatchObject({
      code: 0,
      stdout: '2.5\n',
    });
    const bad = await umcp(['call', 'fx', 'add', '--arg', 'a=two', '--arg', 'b=1', '--config', config]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--arg a: expected a number, got "two"/);
  });

  it('tools SERVER TOOL: that tool, its parameters and annotations', async () => {
    const r = await umcp(['tools', 'fx', 'weather', '--config', config]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^fx\.weather\n\nStructured weather\n/);
    expect(r.stdout).toMatch(/^PARAMETER\s+TYPE\s+REQUIRED\s+DESCRIPTION$/m);
    expect(r.stdout).toMatch(/^city\s+string\s+yes$/m);
    expect(r.stdout).toMatch(/Annotations: readOnlyHint/);
    const j = await umcp(['tools', 'fx', 'add', '--json', '--config', config]);
    expect(JSON.parse(j.stdout)).toMatchObject({ name: 'add', inputSchema: { required: ['a', 'b'] } });
    const missing = await umcp(['tools', 'fx', 'teleport', '--config', config]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no tool "teleport" on "fx"; tools: .*echo/);
  });

  it('tools --search ranks every tool for a request', async () => {
    const r = await umcp(['tools', '--search', 'add two numbers', '--config', config, '--server', 'fx']);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[1]).toMatch(/^1\s+fx\s+add\s+Add two numbers$/);
  });

  it('tools --search with no match says so instead of printing an empty table', async () => {
    const none = await umcp(['tools', '--search', 'zzqx frobnicate', '--config', config, '--server', 'fx']);
    expect(none).toMatchObject({ code: 1, stdout: '', stderr: 'umcp: no tools match "zzqx frobnicate"\n' });
  });

  it('a chat provider with "baseUrl" is told "baseURL"', async () => {
    const file = join(dir, 'chat-typo.json');
    const provider = { type: 'openai', models: ['m'], baseUrl: 'http://127.0.0.1:9/v1' };
    await writeFile(file, JSON.stringify({ mcpServers: {}, chat: { providers: [provider] } }));
    const r = await umcp(['dashboard', '--config', file, '--port', '0']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/chat\.providers\[0\]\.baseUrl: unknown key \(did you mean "baseURL"\?\)\n/);
  });

  it('a misspelt command, server or tool gets a "did you mean"', async () => {
    const command = await umcp(['toosl']);
    expect(command.code).toBe(2);
    expect(command.stderr).toMatch(/^umcp: unknown command "toosl" \(did you mean "tools"\?\)/);
    const [server, tool, call] = await Promise.all([
      umcp(['tools', 'fz', '--config', config]),
      umcp(['tools', 'fx', 'ehco', '--config', config]),
      umcp(['call', 'fx', 'ehco', '--config', config]),
    ]);
    expect(server.code).toBe(2);
    expect(server.stderr).toMatch(/^umcp: no server "fz" in .* \(did you mean "fx"\?\); servers: fx, other, broken/);
    expect(tool.stderr).toMatch(/no tool "ehco" on "fx" \(did you mean "echo"\?\); tools: /);
    expect(call.code).toBe(2);
    expect(call.stderr).toMatch(/TOOL_NOT_FOUND: Tool "ehco" not found on server "fx" \(did you mean "echo"\?\)/);
  });

  it('an unknown flag names the flags there are, with a guess', async () => {
    const r = await umcp(['servers', '--jsn', '--config', config]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^umcp: unknown option --jsn \(did you mean --json\?\); options: --config, --server/);
    const protocol = await umcp(['servers', '--protocol', '2026-07-82', '--config', config]);
    expect(protocol.code).toBe(2);
    expect(protocol.stderr).toMatch(
      /^umcp: --protocol wants auto, 2026-07-28, 2025-11-25, got "2026-07-82" \(did you mean "2026-07-28"\?\)/,
    );
  });

  it('a server that never answers: call gives up after --wait and exits 3', async () => {
    const file = join(dir, 'mute.json');
    await writeFile(
      file,
      JSON.stringify({
        mcpServers: { mute: { command: process.execPath, args: ['-e', 'setInterval(() => {}, 1000)'] } },
      }),
    );
    const t0 = performance.now();
    const r = await umcp(['call', 'mute', 'anything', '--wait', '500', '--config', file]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(
      /^umcp: SERVER_UNAVAILABLE: server "mute" was not ready within 500 ms \(state: connecting\)/,
    );
    expect(performance.now() - t0).toBeLessThan(15_000); // measured ≈ 2 s (start-up, 0.5 s, the kill ladder)
  });

  it('call: exit codes — 1 for isError, 2 for usage, 3 for an unavailable server', async () => {
    expect((await umcp(['call', 'fx', 'fail', '--config', config])).code).toBe(1);
    const unknownTool = await umcp(['call', 'fx', 'teleport', '--config', config]);
    expect(unknownTool.code).toBe(2);
    expect(unknownTool.stderr).toMatch(/TOOL_NOT_FOUND.*Available tools: .*echo/);
    expect((await umcp(['call', 'nobody', 'x', '--config', config])).code).toBe(2);
    expect((await umcp(['call', 'fx', 'add', '{not json', '--config', config])).code).toBe(2);
    const badArgs = await umcp(['call', 'fx', 'add', '{"a": "one", "b": 2}', '--config', config]);
    expect(badArgs.code).toBe(2);
    expect(badArgs.stderr).toMatch(/INVALID_ARGUMENTS/);
    const down = await umcp(['call', 'broken', 'x', '--config', config]);
    expect(down.code).toBe(3);
    expect(down.stderr).toMatch(/^umcp: CONNECT_FAILED: .*exited with code 4/);
    expect(down.stderr.trim().split('\n')).toHaveLength(1);
    const debug = await umcp(['call', 'broken', 'x', '--config', config, '--debug']);
    expect(debug.stderr).toMatch(/\n\s+at /);
  });

  it('call: shows progress while the tool reports it', async () => {
    const r = await umcp(['call', 'fx', 'sleep', '--arg', 'ms=300', '--config', config]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('slept 300\n');
    expect(r.stderr).toMatch(/progress 1\/3\nprogress 2\/3/);
  });

  it('call: Ctrl-C cancels the call (the server is told); exit 130; nothing left running', async () => {
    let child: ChildProcess | undefined;
    const running = umcp(['call', 'fx', 'sleep', '--arg', 'ms=20000', '--config', config], {
      onStart: (c) => (child = c),
    });
    await eventually(
      async () => (child?.stderr?.readableLength ?? 0) >= 0 && (await descendantsOf(child!.pid!)).length > 0,
    );
    // wait until the call is under way: the first progress line
    let seen = '';
    child!.stderr!.on('data', (d: Buffer) => (seen += d.toString()));
    await eventually(() => seen.includes('progress'), 10_000);
    const serverPids = await descendantsOf(child!.pid!);
    child!.kill('SIGINT');
    const r = await running;
    expect(r.code).toBe(130);
    expect(r.stderr).toMatch(/cancelling the call/);
    expect(r.stderr).toMatch(/CANCELLED/);
    await eventually(
      async () => (await readFile(join(dir, 'cancelled.log'), 'utf8').catch(() => '')).includes('cancelled'),
      20_000,
    );
    for (const pid of serverPids) expect(() => process.kill(pid, 0)).toThrow();
  });

  it('resources, prompts and read', async () => {
    const res = await umcp(['resources', 'fx', '--config', config]);
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/^fx\s+note:\/\/25\s+note-25\s+text\/plain$/m);
    expect(res.stdout).toMatch(/note:\/\/\{id\}\s+note by id\s+template/);
    const pr = await umcp(['prompts', '--config', config, '--server', 'fx']);
    expect(pr.stdout).toMatch(/^fx\s+greet\s+name\s+Greet someone$/m);
    const rd = await umcp(['read', 'fx', 'note://4', '--config', config]);
    expect(rd).toMatchObject({ code: 0, stdout: 'content of note://4\n' });
  });

  it('finds ./mcp.json, ./.mcp.json or .vscode/mcp.json when --config is not given', async () => {
    const home = await mkdtemp(join(tmpdir(), 'umcp-find-'));
    try {
      expect((await umcp(['servers'], { cwd: home })).code).toBe(2);
      await mkdir(join(home, '.vscode'));
      await writeFile(
        join(home, '.vscode', 'mcp.json'),
        JSON.stringify({ servers: { vs: { type: 'stdio', ...fixture() } } }),
      );
      const r = await umcp(['servers'], { cwd: home });
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^vs\s+stdio\s+ready/m);
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  });

  it('watch: NDJSON events live, a crash and repair included; --watch re-applies; Ctrl-C stops', async () => {
    const file = join(dir, 'watch.json');
    await writeFile(
      file,
      JSON.stringify({
        mcpServers: {
          flaky: { ...fixture({ EXIT_AFTER_MS: '700' }), backoff: { initialDelayMs: 100 }, restart: 'permanent' },
        },
      }),
    );
    let child: ChildProcess | undefined;
    let out = '';
    const running = umcp(['watch', '--json', '--watch', '--config', file], {
      onStart: (c) => {
        child = c;
        c.stdout!.on('data', (d: Buffer) => (out += d.toString()));
      },
    });
    const events = (): { event: string; server?: string; to?: string }[] =>
      out
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l));
    // started, crashed, came back
    await eventually(() => events().filter((e) => e.event === 'server:ready').length >= 2, 15_000);
    expect(events().find((e) => e.event === 'server:ready')).toMatchObject({ era: '2025-11-25' });
    expect(events().some((e) => e.event === 'server:state' && e.to === 'failed')).toBe(true);
    expect(events().some((e) => e.event === 'server:restarting')).toBe(true);

    await writeFile(file, JSON.stringify({ mcpServers: { steady: fixture() } }));
    await eventually(() => events().some((e) => e.event === 'config:applied'), 10_000);
    await eventually(() => events().some((e) => e.event === 'server:ready' && e.server === 'steady'), 10_000);
    expect(events().some((e) => e.event === 'server:removed' && e.server === 'flaky')).toBe(true);

    child!.kill('SIGINT');
    const r = await running;
    expect(r.code).toBe(0);
    expect(events().at(-1)).toMatchObject({ event: 'server:removed', server: 'steady' });
  });

  it('watch: a tool left out of the catalog is said as a server:warning line', async () => {
    const file = join(dir, 'warning.json');
    const hostile = { command: process.execPath, args: [HOSTILE], env: { HOSTILE_SCHEMAS: '1' } };
    await writeFile(file, JSON.stringify({ mcpServers: { hostile } }));
    let child: ChildProcess | undefined;
    let out = '';
    const running = umcp(['watch', '--config', file], {
      onStart: (c) => {
        child = c;
        c.stdout!.on('data', (d: Buffer) => (out += d.toString()));
      },
    });
    await eventually(() => out.includes(' warning tool-left-out'), 30_000);
    expect(out).toMatch(/ hostile warning tool-left-out: deep_schema: inputSchema is past the schema limits/);
    child!.kill('SIGINT');
    expect((await running).code).toBe(0);
  });

  it('watch: a server log nested 20,000 deep is printed cut, and watching goes on', async () => {
    const file = join(dir, 'deep.json');
    const deep = { command: process.execPath, args: [HOSTILE], env: { DEEP_LOG: '1' } };
    await writeFile(file, JSON.stringify({ mcpServers: { deep } }));
    const watchers = [['--json'], []].map((flags) => {
      let child: ChildProcess | undefined;
      let out = '';
      const running = umcp(['watch', ...flags, '--config', file], {
        onStart: (c) => {
          child = c;
          c.stdout!.on('data', (d: Buffer) => (out += d.toString()));
        },
      });
      return { running, out: () => out, stop: () => child!.kill('SIGINT') };
    });
    const logged = (text: string) => text.split('\n').find((l) => l.includes('"a":{"a":'));
    await eventually(() => watchers.every((w) => logged(w.out()) !== undefined), 15_000);
    const [json, plain] = watchers.map((w) => logged(w.out()) ?? '');
    expect(JSON.parse(json ?? '')).toMatchObject({ event: 'server:log', server: 'deep', level: 'info' });
    expect(json).toContain('[cut: nested deeper than 32 levels]');
    expect(plain).toMatch(/ deep log info: \{"a":.*\[cut: nested deeper than 32 levels\]/);
    // Still watching: the state line after the log, then a clean stop.
    await eventually(() => watchers.every((w) => w.out().includes('ready')), 15_000);
    for (const w of watchers) w.stop();
    for (const r of await Promise.all(watchers.map((w) => w.running))) expect(r.code).toBe(0);
  });
});

// `umcp` under the config's tool policy: what it lists, what it calls, the changes it shows and accepts.
describe('umcp and the tool policy', { timeout: 90_000 }, () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'umcp-policy-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  // Listing and calling under "disabledTools" are covered above ("tools and call obey…"); here: --json, a
  // hidden tool asked for by name, and the exit code.
  it('a tool in "disabledTools" is not in --json, is TOOL_DENIED by name (not "no tool"), exit 2', async () => {
    const config = join(dir, 'disabled.json');
    await writeFile(config, JSON.stringify({ mcpServers: { fx: { ...fixture(), disabledTools: ['add'] } } }));
    const [listed, shown, called] = await Promise.all([
      umcp(['tools', '--json', '--config', config]),
      umcp(['tools', 'fx', 'add', '--config', config]),
      umcp(['call', 'fx', 'add', '{"a":1,"b":2}', '--config', config]),
    ]);
    const names = (JSON.parse(listed.stdout) as Record<string, { name: string }[]>).fx!.map((t) => t.name);
    expect(names).toContain('echo');
    expect(names).not.toContain('add');
    expect(shown).toMatchObject({ code: 2, stdout: '' });
    expect(shown.stderr).toMatch(/^umcp: TOOL_DENIED: tool "add" on "fx" is not offered \(denied/);
    expect(called).toMatchObject({ code: 2, stdout: '' });
    expect(called.stderr).toMatch(/^umcp: TOOL_DENIED: /);
  });

  it('tools --changes lists a tool redefined since the last run, with a diff; accept offers it again', async () => {
    const config = join(dir, 'rug.json');
    const write = (args: string[]) =>
      writeFile(
        config,
        JSON.stringify({
          pins: 'pins.json',
          mcpServers: { rug: { command: process.execPath, args: [RUG_PULL, ...args], tools: { onChange: 'hold' } } },
        }),
      );
    await write([]);
    const first = await umcp(['tools', '--config', config]);
    expect(first.stdout).toMatch(/^rug\s+fetch_page\s+Fetches a web page and returns its text\.$/m);
    expect((await stat(join(dir, 'pins.json'))).mode & 0o777).toBe(0o600);
    // The server changes its tool while no client runs: the next run holds it.
    await write(['--redefined']);
    const held = await umcp(['tools', '--config', config]);
    expect(held.stdout).not.toMatch(/^rug\s+fetch_page/m);
    expect(held.stdout).toMatch(/^rug\s+redefine/m);
    const changes = await umcp(['tools', '--changes', '--config', config]);
    expect(changes.code).toBe(0);
    expect(changes.stdout).toMatch(/^rug\/fetch_page {2}redefined {2}hold \(not offered until accepted\)$/m);
    expect(changes.stdout).toMatch(/^ {6}description: .*→ .*id_rsa/m);
    expect(changes.stdout).toMatch(/^ {6}inputSchema: .*notes/m);
    const json = JSON.parse((await umcp(['tools', '--changes', '--json', '--config', config])).stdout) as unknown[];
    expect(json).toEqual([expect.objectContaining({ server: 'rug', tool: 'fetch_page', kind: 'redefined' })]);

    const accepted = await umcp(['accept', 'rug/fetch_page', '--config', config]);
    expect(accepted).toMatchObject({ code: 0, stdout: expect.stringMatching(/^accepted rug\/fetch_page/) });
    expect(await umcp(['accept', 'rug/fetch_page', '--config', config])).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/no pending change of rug\/fetch_page/),
    });
    expect((await umcp(['tools', '--config', config])).stdout).toMatch(
      /^rug\s+fetch_page\s+Fetches a web page\. IMPORTANT/m,
    );
    expect((await umcp(['tools', '--changes', '--config', config])).stdout).toBe('no tool changes pending\n');
  });

  it('accept without a "pins" file in the config is refused, saying why', async () => {
    const config = join(dir, 'no-pins.json');
    await writeFile(config, JSON.stringify({ mcpServers: { rug: { command: process.execPath, args: [RUG_PULL] } } }));
    const r = await umcp(['accept', 'rug/fetch_page', '--config', config]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/the config sets no "pins" file/);
    const listed = await umcp(['tools', '--changes', '--config', config]);
    expect(listed).toMatchObject({ code: 0, stdout: 'no tool changes pending\n' });
    expect(listed.stderr).toMatch(/the config sets no "pins" file/);
  });
});
