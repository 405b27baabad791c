// The call history on its own: redaction at any depth, size-based rotation, a torn line skipped.
import { appendFileSync, readdirSync } from 'node:fs';
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
