import { describe, expect, it } from 'vitest';
import type { Tool, ToolPolicy } from '@universal-mcp/core';
import {
  changeAction,
  globMatches,
  needsApproval,
  notOffered,
  patternMatches,
  type ToolRules,
} from '../src/tool-rules.js';

const tool = (name: string, readOnlyHint?: boolean): Tool =>
  ({
    name,
    inputSchema: { type: 'object' },
    ...(readOnlyHint === undefined ? {} : { annotations: { readOnlyHint } }),
  }) as Tool;

describe('globMatches', () => {
  it.each([
    ['fetch_page', 'fetch_page', true],
    ['fetch_*', 'fetch_page', true],
    ['fetch_*', 'fetch_', true],
    ['*_page', 'fetch_page', true],
    ['f?tch*', 'fetch_page', true],
    ['f?tch', 'fetch_page', false],
    ['*', '', true],
    ['a*b*c', 'axxbyyc', true],
    ['a*b*c', 'axxbyy', false],
    ['read.file', 'readXfile', false],
    ['[ab]', 'a', false],
  ])('%s against %s → %s', (pattern, name, expected) => {
    expect(globMatches(pattern, name)).toBe(expected);
  });

  it('a hostile name does not make it backtrack (linear)', () => {
    expect(globMatches(`${'*a'.repeat(50)}b`, 'a'.repeat(10_000))).toBe(false);
  });
});

describe('patternMatches', () => {
  it.each([
    ['web/fetch_*', 'web', 'fetch_page', true],
    ['web/fetch_*', 'side', 'fetch_page', false],
    ['*/fetch_page', 'side', 'fetch_page', true],
    ['fetch_page', 'side', 'fetch_page', true],
    ['web', 'web', 'fetch_page', false],
  ])('%s on %s/%s → %s', (pattern, server, name, expected) => {
    expect(patternMatches(pattern, server, name)).toBe(expected);
  });
});

const rules = (server?: ToolPolicy, client?: ToolPolicy, trusted?: boolean): ToolRules => ({ server, client, trusted });

describe('notOffered', () => {
  it.each<[string, ToolRules, Tool, ReturnType<typeof notOffered>]>([
    ['no policy', rules(), tool('a'), undefined],
    ['server deny', rules({ deny: ['a'] }), tool('a'), 'denied'],
    ['client deny', rules(undefined, { deny: ['s/a'] }), tool('a'), 'denied'],
    ['deny beats allow', rules({ allow: ['a'], deny: ['a'] }), tool('a'), 'denied'],
    ['server allow misses', rules({ allow: ['b*'] }), tool('a'), 'not-allowed'],
    ['both allow lists must pass', rules({ allow: ['a'] }, { allow: ['b'] }), tool('a'), 'not-allowed'],
    ['both allow lists pass', rules({ allow: ['a'] }, { allow: ['s/*'] }), tool('a'), undefined],
    ['readOnly, not annotated', rules({ readOnly: true }), tool('a'), 'not-read-only'],
    ['client readOnly, annotated false', rules(undefined, { readOnly: true }), tool('a', false), 'not-read-only'],
    ['readOnly, annotated', rules({ readOnly: true }), tool('a', true), undefined],
  ])('%s', (_label, r, t, expected) => {
    expect(notOffered('s', t, r)).toBe(expected);
  });
});

describe('needsApproval', () => {
  it.each<[string, ToolRules, Tool, boolean]>([
    ['default: untrusted server, read-only tool', rules(), tool('a', true), true],
    ['default: trusted server, read-only tool', rules(undefined, undefined, true), tool('a', true), false],
    ['default: trusted server, other tool', rules(undefined, undefined, true), tool('a'), true],
    ['always, even trusted read-only', rules({ approval: 'always' }, undefined, true), tool('a', true), true],
    ['never', rules(undefined, { approval: 'never' }), tool('a'), false],
    ['server approval wins over client', rules({ approval: 'always' }, { approval: 'never' }), tool('a'), true],
    ['autoApprove beats always', rules({ approval: 'always', autoApprove: ['a'] }), tool('a'), false],
    ['client autoApprove', rules(undefined, { autoApprove: ['s/*'] }), tool('a'), false],
  ])('%s', (_label, r, t, expected) => {
    expect(needsApproval('s', t, r)).toBe(expected);
  });
});

describe('changeAction', () => {
  it.each<[string, 'change' | 'shadow', ToolRules, 'warn' | 'hold' | 'block']>([
    ['default change', 'change', rules(), 'warn'],
    ['default shadow', 'shadow', rules(), 'warn'],
    ['server onChange', 'change', rules({ onChange: 'hold' }, { onChange: 'block' }), 'hold'],
    ['client onChange', 'change', rules(undefined, { onChange: 'block' }), 'block'],
    ['onShadow is not onChange', 'shadow', rules({ onChange: 'block' }), 'warn'],
    ['server onShadow', 'shadow', rules({ onShadow: 'block' }), 'block'],
  ])('%s', (_label, kind, r, expected) => {
    expect(changeAction(kind, r)).toBe(expected);
  });
});
