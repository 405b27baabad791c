import { describe, expect, it } from 'vitest';
import { SAFE_NAME, ToolNameCollisionError, assignToolNames, type ToolRef } from '../src/tool-names.js';

const names = (refs: ToolRef[], prefix?: 'always' | 'on-collision' | 'never'): string[] => [
  ...assignToolNames(refs, prefix).keys(),
];

describe('assignToolNames', () => {
  it('keeps plain names, prefixes only what collides (on-collision), everything (always)', () => {
    const refs = [
      { server: 'github', tool: 'search' },
      { server: 'jira', tool: 'search' },
      { server: 'github', tool: 'create_issue' },
    ];
    expect(names(refs)).toEqual(['github__search', 'jira__search', 'create_issue']);
    expect(names(refs, 'always')).toEqual(['github__search', 'jira__search', 'github__create_issue']);
  });

  it('never + a collision is an error naming the tools', () => {
    const refs = [
      { server: 'a', tool: 'search' },
      { server: 'b', tool: 'search' },
    ];
    expect(() => assignToolNames(refs, 'never')).toThrow(ToolNameCollisionError);
    expect(() => assignToolNames(refs, 'never')).toThrow(/"search" \(a\/search, b\/search\)/);
  });

  it('every name is safe for every provider on a hostile catalog: dots, slashes, unicode, 128 characters', () => {
    const refs: ToolRef[] = [
      { server: 'fs', tool: 'files.read' },
      { server: 'fs', tool: 'files/read' },
      { server: 'fs', tool: 'files_read' },
      { server: 'web', tool: '搜索' },
      { server: 'web', tool: 'найти' },
      { server: 'web', tool: '123start' },
      { server: 'web', tool: '_private' },
      { server: 'x'.repeat(60), tool: 'y'.repeat(128) },
      { server: 'long', tool: `${'a'.repeat(100)}_read_file` },
      { server: 'long', tool: `${'a'.repeat(100)}_write_file` },
      { server: 'e', tool: '' },
    ];
    const map = assignToolNames(refs, 'always');
    expect(map.size).toBe(refs.length); // nothing dropped, nothing merged
    for (const name of map.keys()) expect(name).toMatch(SAFE_NAME);
    // The map back is exact.
    expect([...map.values()].sort((a, b) => (a.server + a.tool).localeCompare(b.server + b.tool))).toEqual(
      [...refs].sort((a, b) => (a.server + a.tool).localeCompare(b.server + b.tool)),
    );
    // A long name keeps its distinguishing tail.
    expect([...map.keys()].find((n) => map.get(n)?.tool.endsWith('_read_file'))).toMatch(/_read_file$/);
  });

  it('identical names on five servers: five distinct names', () => {
    const refs = ['a', 'b', 'c', 'd', 'e'].map((server) => ({ server, tool: 'get.status' }));
    const map = assignToolNames(refs);
    expect([...map.keys()]).toEqual([
      'a__get_status',
      'b__get_status',
      'c__get_status',
      'd__get_status',
      'e__get_status',
    ]);
  });

  it('is stable: the same tools in another order get the same names', () => {
    const refs = [
      { server: 'a', tool: 'x.y' },
      { server: 'b', tool: 'x_y' },
      { server: 'b', tool: 'x.y' },
      { server: 'c', tool: 'z' },
    ];
    const one = assignToolNames(refs);
    const two = assignToolNames([...refs].reverse());
    for (const [name, ref] of one) expect(two.get(name)).toEqual(ref);
  });
});
