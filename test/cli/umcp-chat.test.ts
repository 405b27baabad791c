import { spawn } from 'node:child_process';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RUG_PULL } from '../helpers/hostile-servers.js';
import { eventually, FIXTURE_ENTRY, freePort, MEMORY, tempConfig, UMCP } from '../helpers/servers.js';
import { startScriptedProvider, type ScriptedProvider } from '../helpers/scripted-provider.js';

// `umcp chat` as a user runs it: the built CLI, a config with the fixture server, and the scripted
// provider on 127.0.0.1 standing in for the model (no model can run here).

/** How long a wait for umcp chat's output may take: it starts its servers first, slowly on a loaded machine. */
const SLOW = 40_000;

// Each test runs the built CLI several times, one process after another; a process takes seconds on a
// loaded 2-core machine (two copies of the suite at once), so the file's tests get 90 s, not the default 30 s.
describe('umcp chat', { timeout: 90_000 }, () => {
  let dir: string;
  let config: string;
  let provider: ScriptedProvider;
  beforeAll(async () => {
    provider = await startScriptedProvider();
    ({ dir, config } = await tempConfig('umcp-chat-', { notes: FIXTURE_ENTRY }));
    // The published memory server annotates its tools (create_entities: not read-only, not destructive;
    // read_graph: read-only) and is not trusted; the fixture is (its read-only tools run unasked).
    await writeFile(
      config,
      JSON.stringify({
        mcpServers: {
          notes: { ...FIXTURE_ENTRY, trusted: true },
          memory: { command: process.execPath, args: [MEMORY], env: { MEMORY_FILE_PATH: join(dir, 'memory.jsonl') } },
        },
      }),
    );
  });
  afterAll(async () => {
    await provider.close();
    await rm(dir, { recursive: true, force: true });
  });

  function chat(args: string[], env: Record<string, string> = {}, file = config) {
    const child = spawn(process.execPath, [UMCP, 'chat', '--config', file, ...args], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { PATH: process.env.PATH ?? '', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const done = new Promise<number | null>((resolve) => child.on('close', resolve));
    return { child, out: () => stdout, err: () => stderr, done };
  }

  it('without a key or a base URL it says exactly what it needs (exit 2)', async () => {
    const c = chat(['--provider', 'openai', '--model', 'gpt-4.1']);
    c.child.stdin.end();
    expect(await c.done).toBe(2);
    expect(c.err()).toMatch(
      /needs OPENAI_API_KEY in the environment, or --base-url for a local OpenAI-compatible server/,
    );
  });

  it('a base URL nothing answers at: the URL and the cause, and exit 3 (not "Connection error." and 0)', async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/v1`;
    const c = chat(['--provider', 'openai', '--model', 'm', '--base-url', url]);
    c.child.stdin.write('hello\n');
    expect(await c.done).toBe(3);
    expect(c.err()).toContain(`umcp: cannot reach the openai provider at ${url}: connection refused 127.0.0.1:${port}`);
    c.child.stdin.end();
  });

  it('streams the answer, shows each tool call and result in a line, asks before a non-read-only tool', async () => {
    provider.script(
      {
        text: 'Adding.',
        toolCalls: [
          { name: 'add', args: { a: 2, b: 40 } },
          { name: 'echo', args: { text: 'hello' } },
        ],
      },
      { text: 'The sum was refused; echo said hello.' },
    );
    const c = chat(['--provider', 'openai', '--model', 'scripted', '--base-url', provider.baseURL]);
    c.child.stdin.write('add two numbers\n');
    await eventually(() => c.err().includes('? allow notes.add'), SLOW);
    c.child.stdin.write('n\n');
    await eventually(() => c.out().includes('echo said hello'), SLOW);
    c.child.stdin.end('/exit\n');
    expect(await c.done).toBe(0);
    expect(c.out()).toContain('Adding.');
    expect(c.err()).toMatch(/→ notes\.echo \{"text":"hello"\}/);
    expect(c.err()).toMatch(/← ok \(\d+ ms\): hello/);
    expect(c.err()).toMatch(/← error \(\d+ ms\): Error: The user denied this tool call\./);
    expect(c.err()).not.toMatch(/allow notes\.echo/); // read-only: not asked
  });

  it("shows what will run before asking: the arguments, and the server's own hints as its claims", async () => {
    const entities = [{ name: 'Ada', entityType: 'person', observations: ['wrote the first program'] }];
    provider.script({ toolCalls: [{ name: 'create_entities', args: { entities } }] }, { text: 'Not stored.' });
    const c = chat(['--provider', 'openai', '--model', 'scripted', '--base-url', provider.baseURL]);
    c.child.stdin.write('remember Ada\n');
    await eventually(() => c.err().includes('[y/a/N]'), SLOW);
    const prompt = c.err().slice(c.err().indexOf('? allow'));
    expect(prompt).toMatch(/^\? allow memory\.create_entities to run with these arguments:\n/);
    // The arguments, as indented JSON, before the question.
    expect(prompt).toContain('"name": "Ada"');
    expect(prompt).toContain('"wrote the first program"');
    expect(prompt).toContain('  server "memory": not trusted\n');
    expect(prompt).toMatch(/the server's own hints \(not checked\): may change things, not destructive/);
    expect(prompt).toContain('allow? y = yes, a = always in this conversation, N = no [y/a/N]');
    c.child.stdin.write('n\n');
    await eventually(() => c.out().includes('Not stored.'), SLOW);
    c.child.stdin.end('/exit\n');
    expect(await c.done).toBe(0);
  });

  it("an untrusted server's read-only tool is asked; 'a' lets it run unasked for the rest of the chat", async () => {
    const read = { toolCalls: [{ name: 'read_graph', args: {} }] };
    provider.script(read, read, { text: 'Read twice.' });
    const c = chat(['--provider', 'openai', '--model', 'scripted', '--base-url', provider.baseURL]);
    c.child.stdin.write('read my graph\n');
    await eventually(() => c.err().includes('? allow memory.read_graph'), SLOW);
    expect(c.err()).toMatch(/server "memory": not trusted\n {2}the server's own hints \(not checked\): read-only/);
    c.child.stdin.write('a\n');
    await eventually(() => c.out().includes('Read twice.'), SLOW);
    provider.script(read, { text: 'Read again.' });
    c.child.stdin.write('and again\n');
    await eventually(() => c.out().includes('Read again.'), SLOW);
    c.child.stdin.end('/exit\n');
    expect(await c.done).toBe(0);
    expect(c.err().match(/\? allow memory\.read_graph/g)).toHaveLength(1);
    expect(c.err().match(/← ok \(\d+ ms\)/g)).toHaveLength(3);
  });

  it('a tool changed since it was pinned: the prompt shows the change and its diff', async () => {
    const rug = join(dir, 'rug.json');
    const write = (args: string[]) =>
      writeFile(
        rug,
        JSON.stringify({
          pins: 'pins.json',
          mcpServers: { rug: { command: process.execPath, args: [RUG_PULL, ...args] } },
        }),
      );
    await write([]);
    const pinning = spawn(process.execPath, [UMCP, 'tools', '--config', rug], { stdio: 'ignore' });
    expect(await new Promise((resolve) => pinning.on('close', resolve))).toBe(0);
    await write(['--redefined']); // changed while no client ran; the policy's default: warn (offered, flagged)
    provider.script(
      { toolCalls: [{ name: 'fetch_page', args: { url: 'https://example.com', notes: 'secret' } }] },
      { text: 'Not fetched.' },
    );
    const c = chat(['--provider', 'openai', '--model', 'scripted', '--base-url', provider.baseURL], {}, rug);
    c.child.stdin.write('fetch example.com\n');
    await eventually(() => c.err().includes('[y/a/N]'), SLOW);
    expect(c.err()).toContain('umcp chat: 1 tool changed since pinned');
    const prompt = c.err().slice(c.err().indexOf('? allow'));
    expect(prompt).toMatch(/^\? allow rug\.fetch_page to run with these arguments:\n/);
    expect(prompt).toContain('  ! its definition changed since it was pinned (policy: warn); not accepted yet:\n');
    expect(prompt).toMatch(/^ {6}description: .*→ .*id_rsa/m);
    c.child.stdin.write('n\n');
    await eventually(() => c.out().includes('Not fetched.'), SLOW);
    c.child.stdin.end('/exit\n');
    expect(await c.done).toBe(0);
  });
});
