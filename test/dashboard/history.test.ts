// The call history on its own: redaction at any depth, size-based rotation, a torn line skipped.
import { appendFileSync, chmodSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { History, type HistoryEntry } from '@universal-mcp/dashboard';
import { afterEach, describe, expect, it } from 'vitest';

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

const entry = (i: number, args: unknown = { i }): HistoryEntry => ({
  at: i,
  server: 's',
  tool: 't',
  arguments: args,
  durationMs: 1,
  outcome: 'ok',
  source: 'console',
});

describe('History', () => {
  it('redacts configured keys at any depth, case-insensitively', () => {
    const history = new History({ redactKeys: ['password', 'apiKey'] });
    expect(history.redact({ user: 'ada', Password: 'x', nested: [{ APIKEY: 'y', keep: 1 }] })).toEqual({
      user: 'ada',
      Password: '[redacted]',
      nested: [{ APIKEY: '[redacted]', keep: 1 }],
    });
  });

  it('redacts every key that looks secret (core’s rule), in any case, at any depth; cuts what is too deep', () => {
    const history = new History();
    const deep = JSON.parse(`${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}`) as unknown;
    const kept = history.redact({ user: 'ada', Authorization: 'x', items: [{ myApiKey: 'y', keep: 1 }], deep }) as {
      deep: unknown;
    };
    expect({ ...kept, deep: undefined }).toEqual({
      user: 'ada',
      Authorization: '[redacted]',
      items: [{ myApiKey: '[redacted]', keep: 1 }],
      deep: undefined,
    });
    expect(JSON.stringify(kept.deep)).toContain('[cut: nested deeper than 64 levels]');
  });

  it('creates its directory 0700 and its files 0600, and tightens a file an older version left 0644', async () => {
    const parent = await mkdtemp(join(tmpdir(), 'umcp-history-'));
    dirs.push(parent);
    const dir = join(parent, 'data');
    new History({ dir, maxBytes: 200 }).add(entry(1));
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(join(dir, 'history.ndjson')).mode & 0o777).toBe(0o600);
    const old = join(dir, 'history.2.ndjson');
    writeFileSync(old, `${JSON.stringify(entry(0, { token: 'leak' }))}\n`);
    chmodSync(old, 0o644);
    chmodSync(join(dir, 'history.ndjson'), 0o644);
    const again = new History({ dir, maxBytes: 200 });
    expect(statSync(old).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'history.ndjson')).mode & 0o777).toBe(0o600);
    for (let i = 2; i < 10; i += 1) again.add(entry(i)); // rotated files keep the mode
    for (const file of readdirSync(dir)) expect(statSync(join(dir, file)).mode & 0o777).toBe(0o600);
  });

  it('rotates by size, keeps the files asked for, and reads back what survives (a torn line skipped)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'umcp-history-'));
    dirs.push(dir);
    const history = new History({ dir, maxBytes: 400, files: 2 });
    for (let i = 0; i < 40; i += 1) history.add(entry(i));
    expect(readdirSync(dir).sort()).toEqual(['history.1.ndjson', 'history.2.ndjson', 'history.ndjson']);
    appendFileSync(join(dir, 'history.ndjson'), '{"at": 99, "torn');
    const again = new History({ dir });
    const seen = again.list().map((e) => e.at);
    expect(seen[0]).toBe(39); // newest first
    expect(seen).not.toContain(99);
    expect(again.list('"i":38')).toHaveLength(1);
  });
});
