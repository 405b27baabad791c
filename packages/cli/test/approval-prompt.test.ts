import type { LlmTool } from '@universal-mcp/llm';
import { describe, expect, it } from 'vitest';
import { approvalPrompt, hintWords } from '../src/approval-prompt.js';

const tool = (annotations: unknown) =>
  ({ server: 'files', tool: 'write_file', definition: { name: 'write_file', annotations } }) as unknown as LlmTool;

describe("umcp chat's approval prompt", () => {
  it('shows the arguments as indented JSON and the hints the server declared, in words', () => {
    const call = { id: '1', name: 'write_file', args: { path: 'a.txt', content: 'hi' } };
    const text = approvalPrompt(call, tool({ destructiveHint: true, idempotentHint: false, title: 'x' }));
    expect(text).toBe(
      [
        '? allow files.write_file to run with these arguments:',
        '    {',
        '      "path": "a.txt",',
        '      "content": "hi"',
        '    }',
        "  the server's own hints (not checked): destructive, not idempotent",
        '  allow? [y/N] ',
      ].join('\n'),
    );
  });

  it('takes only boolean hints, cuts long arguments, and prints no terminal control characters', () => {
    expect(hintWords({ readOnlyHint: 'yes', openWorldHint: false })).toEqual(['closed world']);
    expect(hintWords(null)).toEqual([]);
    const call = { id: '1', name: 'x', args: { text: `\u009b2J${'y'.repeat(10_000)}` } };
    const text = approvalPrompt(call, undefined);
    expect(text).not.toContain('\u009b');
    expect(text.length).toBeLessThan(4300);
    expect(text).toContain('none given');
  });
});
