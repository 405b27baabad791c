import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  SAFE_NAME,
  assignToolNames,
  createToolset,
  normalizeInputSchema,
  toGeminiSchema,
  toOpenAiStrict,
  type LlmTool,
} from '@universal-mcp/llm';
import { UniversalMcpClient } from '@universal-mcp/supervisor';
import { geminiViolations, openAiStrictViolations } from '../../packages/llm/test/provider-rules.js';
import { EVERYTHING, FILESYSTEM, MEMORY } from '../helpers/servers.js';

// Every tool of three published servers (real, over stdio) and every function of BFCL `multiple`:
// each converts for OpenAI (strict, or non-strict with the reason), Gemini and Anthropic without
// breaking the providers' documented rules (packages/llm/test/provider-rules.ts).
const BFCL = join(dirname(fileURLToPath(import.meta.url)), '..', 'data', 'bfcl', 'BFCL_v4_multiple.json');

describe('schema conversion over real catalogs', () => {
  let client: UniversalMcpClient;
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'umcp-corpus-'));
    client = new UniversalMcpClient({ defaults: { health: { intervalMs: 0 } } });
    await Promise.all([
      client.addServer({ name: 'everything', command: process.execPath, args: [EVERYTHING, 'stdio'] }),
      client.addServer({ name: 'filesystem', command: process.execPath, args: [FILESYSTEM, dir] }),
      client.addServer({
        name: 'memory',
        command: process.execPath,
        args: [MEMORY],
        env: { MEMORY_FILE_PATH: join(dir, 'memory.jsonl') },
      }),
    ]);
  });
  afterAll(async () => {
    await client.close();
    await rm(dir, { recursive: true, force: true });
  });

  const check = (t: Pick<LlmTool, 'name' | 'openai' | 'gemini' | 'inputSchema'>): void => {
    expect(t.name, t.name).toMatch(SAFE_NAME);
    if (t.openai.strict) expect(openAiStrictViolations(t.openai.schema), t.name).toEqual([]);
    else expect(t.openai.reason, t.name).toMatch(/.+/);
    expect(geminiViolations(t.gemini.schema), t.name).toEqual([]);
    expect(t.inputSchema.type, t.name).toBe('object');
  };

  it('every tool of server-everything, server-filesystem and server-memory', () => {
    const toolset = createToolset(client);
    const tools = toolset.list();
    expect(new Set(tools.map((t) => t.server))).toEqual(new Set(['everything', 'filesystem', 'memory']));
    expect(tools.length).toBeGreaterThan(25);
    for (const t of tools) check(t);
    // Most of them can be strict; the report says which cannot and why.
    const strict = tools.filter((t) => t.openai.strict).length;
    expect(strict / tools.length).toBeGreaterThan(0.7);
    expect(toolset.toAnthropic().every((t) => t.input_schema.type === 'object')).toBe(true);
    // server-everything writes a root $schema (draft-07); OpenAI's parameters never carry one, strict or not.
    expect(tools.some((t) => '$schema' in t.inputSchema)).toBe(true);
    const parameters = [
      ...toolset.toOpenAI({ strict: false }).map((t) => t.function.parameters),
      ...toolset.toOpenAI({ api: 'responses', strict: false }).map((t) => t.parameters),
      ...toolset.toOpenAI().map((t) => t.function.parameters),
    ];
    expect(parameters.filter((p) => '$schema' in p)).toEqual([]);
    toolset.close();
  });

  it("zod's own JSON Schema (z.toJSONSchema) with z.never() in unions converts strict", () => {
    const shape = z.object({
      id: z.union([z.never(), z.string()]),
      nested: z.object({
        n: z.union([z.number(), z.never()]).optional(),
        tags: z.array(z.union([z.never(), z.string()])),
      }),
    });
    const generated = z.toJSONSchema(shape) as Record<string, unknown>;
    expect(JSON.stringify(generated)).toContain('{"not":{}}');
    const inputSchema = normalizeInputSchema(generated);
    expect(JSON.stringify(inputSchema)).not.toContain('"not"');
    const openai = toOpenAiStrict(inputSchema);
    expect(openai).toMatchObject({ strict: true });
    check({ name: 'zod_tool', inputSchema, openai, gemini: toGeminiSchema(inputSchema) });
  });

  it('every function of BFCL multiple (dotted names, type "dict", "optional")', async () => {
    const lines = (await readFile(BFCL, 'utf8')).trim().split('\n');
    const functions = new Map<string, { name: string; parameters: unknown }>();
    for (const line of lines)
      for (const f of (JSON.parse(line) as { function: { name: string; parameters: unknown }[] }).function)
        functions.set(f.name, f);
    expect(functions.size).toBeGreaterThan(400);
    const names = assignToolNames([...functions.keys()].map((tool) => ({ server: 'bfcl', tool })));
    expect(names.size).toBe(functions.size);
    let strict = 0;
    for (const [name, ref] of names) {
      const inputSchema = normalizeInputSchema(functions.get(ref.tool)?.parameters);
      const openai = toOpenAiStrict(inputSchema);
      if (openai.strict) strict += 1;
      check({ name, inputSchema, openai, gemini: toGeminiSchema(inputSchema) });
    }
    expect(strict / names.size).toBeGreaterThan(0.9);
  });
});
