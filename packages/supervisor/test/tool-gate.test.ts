import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode, type Tool } from '@universal-mcp/core';
import { FilePinStore, MAX_PINS_BYTES, type PinStore, type PinsData } from '../src/pin-store.js';
import { definitionOf, fingerprint } from '../src/tool-pins.js';
import { MAX_PINS_PER_SERVER, ToolGate, type ToolAccess, type ToolChange } from '../src/tool-gate.js';

const tool = (name: string, description = 'd'): Tool =>
  ({ name, description, inputSchema: { type: 'object' } }) as Tool;

const pinOf = (t: Tool) => ({ sha256: fingerprint(definitionOf(t)), definition: definitionOf(t) });

/** A store in memory whose writes can be made to fail (a full disk, a read-only directory). */
class MemoryStore implements PinStore {
  saved: PinsData | undefined;
  failing = false;
  load(): PinsData | undefined {
    return undefined;
  }
  save(pins: PinsData): Promise<void> {
    if (this.failing) return Promise.reject(new Error('disk full'));
    this.saved = JSON.parse(JSON.stringify(pins)) as PinsData;
    return Promise.resolve();
  }
}

const gateWith = (pins?: PinStore, onChanged: (c: ToolChange) => void = () => undefined) => {
  const failures: unknown[] = [];
  const gate = new ToolGate({ pins, changed: onChanged, saveFailed: (err) => failures.push(err) });
  return { gate, failures };
};

describe('ToolGate', () => {
  it("keeps the rules' answer per tool, and asks again when a rule changes", () => {
    const { gate } = gateWith();
    const fetchPage = tool('fetch_page');
    gate.setServer('web', undefined, false);
    const view = gate.forServer('web');
    view.observe([fetchPage]);
    expect(view.denial(fetchPage)).toBeUndefined();
    gate.setClientPolicy({ deny: ['fetch_*'] });
    expect(view.denial(fetchPage)).toMatchObject({ code: ErrorCode.TOOL_DENIED, details: { reason: 'denied' } });
    gate.setServer('web', { allow: ['other'] }, false);
    gate.setClientPolicy(undefined);
    expect(view.denial(fetchPage)).toMatchObject({ details: { reason: 'not-allowed' } });
    gate.setServer('web', undefined, false);
    expect(view.denial(fetchPage)).toBeUndefined();
    // The same tool object asked for under another server's name gets that server's answer.
    gate.setServer('other', { deny: ['*'] }, false);
    expect(gate.forServer('other').denial(fetchPage)).toMatchObject({ details: { reason: 'denied' } });
    expect(view.denial(fetchPage)).toBeUndefined();
  });

  it('tools named constructor and __proto__, listed after the first pin, are pinned like any other', async () => {
    const store = new MemoryStore();
    // As in a new process: the first pin comes from the store.
    store.load = () => ({ version: 1, servers: { s: { a: pinOf(tool('a')) } } });
    const { gate } = gateWith(store);
    expect(() =>
      gate.observe('s', [tool('a'), tool('constructor'), tool('__proto__'), tool('toString')]),
    ).not.toThrow();
    expect(gate.changes()).toEqual([]);
    await gate.flush();
    expect(Object.keys(store.saved!.servers['s']!).sort()).toEqual(['__proto__', 'a', 'constructor', 'toString']);
    // Redefined later: a change with a diff against the pinned definition, not against Object.prototype's.
    gate.observe('s', [tool('a'), tool('constructor', 'other'), tool('__proto__', 'other')]);
    expect(gate.changes().map((c) => [c.tool, c.diff])).toEqual([
      ['constructor', 'description: "d" → "other"'],
      ['__proto__', 'description: "d" → "other"'],
    ]);
  });

  it('tells of a change only once it is recorded (a listener sees it in access)', () => {
    const seen: ToolAccess[] = [];
    const { gate } = gateWith(undefined, (c) => seen.push(gate.access(c.server, tool(c.tool, 'new'))));
    gate.setServer('s', { onChange: 'hold' }, undefined);
    gate.observe('s', [tool('a'), tool('b')]);
    gate.observe('s', [tool('a', 'new'), tool('b', 'new')]);
    expect(seen).toHaveLength(2);
    for (const access of seen)
      expect(access).toMatchObject({ offered: false, reason: 'held', change: { kind: 'redefined' } });
  });

  it('a change carries its definition’s sha256; an accept given another sha pins nothing', async () => {
    const store = new MemoryStore();
    const { gate } = gateWith(store);
    gate.observe('s', [tool('a')]);
    await gate.flush();
    const pinned = store.saved!.servers['s']!['a']!.sha256;
    gate.observe('s', [tool('a', 'first')]);
    const reviewed = gate.changes()[0]!;
    expect(reviewed.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(reviewed.sha256).not.toBe(pinned);
    // The server redefines it again after the review: the reviewed sha no longer accepts it.
    gate.observe('s', [tool('a', 'second')]);
    const current = gate.changes()[0]!;
    await expect(gate.accept('s', 'a', reviewed.sha256)).resolves.toBe(false);
    expect(gate.changes()).toEqual([current]);
    expect(store.saved!.servers['s']!['a']!.sha256).toBe(pinned);
    await expect(gate.accept('s', 'a', current.sha256)).resolves.toBe(true);
    expect(store.saved!.servers['s']!['a']!.sha256).toBe(current.sha256);
    // The 2-argument form still accepts whatever is current.
    gate.observe('s', [tool('a', 'third')]);
    await expect(gate.accept('s', 'a')).resolves.toBe(true);
    expect(gate.changes()).toEqual([]);
  });

  it('an accept whose pins are not written rejects, and the change stands', async () => {
    const store = new MemoryStore();
    const { gate, failures } = gateWith(store);
    gate.setServer('s', { onChange: 'hold' }, undefined);
    gate.observe('s', [tool('a')]);
    gate.observe('s', [tool('a', 'new')]);
    await gate.flush();
    store.failing = true;
    await expect(gate.accept('s', 'a')).rejects.toThrow('disk full');
    expect(failures).toHaveLength(1);
    expect(gate.changes()).toMatchObject([{ tool: 'a', action: 'hold' }]);
    expect(gate.access('s', tool('a', 'new'))).toMatchObject({ offered: false, reason: 'held' });
    store.failing = false;
    await expect(gate.accept('s', 'a')).resolves.toBe(true);
    expect(store.saved!.servers['s']!['a']!.definition).toMatchObject({ description: 'new' });
  });

  it(`at most ${MAX_PINS_PER_SERVER} pins per server: unlisted ones go first, then new ones unpinned`, async () => {
    const store = new MemoryStore();
    const { gate, failures } = gateWith(store);
    const many = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => tool(`${prefix}${i}`));
    gate.observe('s', many('a', MAX_PINS_PER_SERVER));
    gate.observe('s', many('b', 10));
    gate.observe('s', [...many('b', 10), ...many('c', MAX_PINS_PER_SERVER)]);
    await gate.flush();
    const pins = Object.keys(store.saved!.servers['s']!);
    expect(pins).toHaveLength(MAX_PINS_PER_SERVER);
    expect(pins.filter((n) => n.startsWith('a'))).toEqual([]);
    expect(pins.filter((n) => n.startsWith('b'))).toHaveLength(10);
    // Reported once, by count only, whatever the server lists next.
    gate.observe('s', [...many('b', 10), ...many('c', MAX_PINS_PER_SERVER)]);
    expect(failures).toEqual([expect.objectContaining({ code: ErrorCode.CONFIG_INVALID })]);
    expect(gate.changes()).toEqual([]);
  });
});

describe('FilePinStore', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'umcp-pin-store-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('writes compact JSON, and never a file its loader would refuse (the old one stays)', async () => {
    const path = join(dir, 'pins.json');
    const store = new FilePinStore(path);
    const pin = { sha256: 'a'.repeat(64), definition: { name: 't', description: 'd' } };
    await store.save({ version: 1, servers: { s: { t: pin } } });
    const text = await readFile(path, 'utf8');
    expect(text).toBe(`${JSON.stringify({ version: 1, servers: { s: { t: pin } } })}\n`);
    const huge = { sha256: pin.sha256, definition: { name: 't', description: 'x'.repeat(MAX_PINS_BYTES) } };
    await expect(store.save({ version: 1, servers: { s: { t: huge } } })).rejects.toMatchObject({
      code: ErrorCode.CONFIG_INVALID,
    });
    expect(await readFile(path, 'utf8')).toBe(text);
    expect(store.load()).toEqual({ version: 1, servers: { s: { t: pin } } });
  });

  it('loads tools named __proto__ and constructor as pins', async () => {
    const path = join(dir, 'proto.json');
    const pin = { sha256: 'b'.repeat(64), definition: { name: '__proto__' } };
    await writeFile(
      path,
      `{"version":1,"servers":{"s":{"__proto__":${JSON.stringify(pin)},"constructor":${JSON.stringify(pin)}}}}`,
    );
    const { gate } = gateWith(new FilePinStore(path));
    expect(() => gate.observe('s', [tool('__proto__'), tool('constructor'), tool('toString')])).not.toThrow();
    expect(gate.changes().map((c) => c.tool)).toEqual(['__proto__', 'constructor']);
  });
});
