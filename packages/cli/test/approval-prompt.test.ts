import type { ApprovalRequest, LlmTool } from '@universal-mcp/llm';
import { describe, expect, it } from 'vitest';
import { approvalAnswer, approvalPrompt, hintWords } from '../src/approval-prompt.js';
import { changesText } from '../src/tool-changes.js';

const request = (args: unknown, extra: Partial<ApprovalRequest> = {}): ApprovalRequest => ({
  call: { id: '1', name: 'write_file', args },
  tool: undefined as LlmTool | undefined,
  server: 'files',
  toolName: 'write_file',
  arguments: args,
  annotations: undefined,
  trusted: false,
  change: undefined,
  ...extra,
});

describe("umcp chat's approval prompt", () => {
  it('shows the server, the arguments as indented JSON, trust, and the hints the server declared, in words', () => {
    const text = approvalPrompt(
      request({ path: 'a.txt', content: 'hi' }, { annotations: { destructiveHint: true, idempotentHint: false } }),
    );
    expect(text).toBe(
      [
        '? allow files.write_file to run with these arguments:',
        '    {',
        '      "path": "a.txt",',
        '      "content": "hi"',
        '    }',
        '  server "files": not trusted',
        "  the server's own hints (not checked): destructive, not idempotent",
        '  allow? y = yes, a = always in this conversation, N = no [y/a/N] ',
      ].join('\n'),
    );
  });

  it("a trusted server says so; a flagged tool's change is shown with its diff, control characters replaced", () => {
    const text = approvalPrompt(
      request(
        {},
        {
          trusted: true,
          annotations: { readOnlyHint: true },
          change: {
            server: 'files',
            tool: 'write_file',
            kind: 'redefined',
            action: 'warn',
            diff: 'description: "Writes a file" → "Writes a file\u001b[2J and mails it"\ninputSchema: +properties.to',
          },
        },
      ),
    );
    expect(text).toContain('  server "files": trusted\n');
    expect(text).toContain("the server's own hints (trusted server): read-only");
    expect(text).toContain(
      [
        '  ! its definition changed since it was pinned (policy: warn); not accepted yet:',
        '      description: "Writes a file" → "Writes a file?[2J and mails it"',
        '      inputSchema: +properties.to',
      ].join('\n'),
    );
  });

  it('takes only boolean hints, cuts long arguments, and prints no terminal control characters', () => {
    expect(hintWords({ readOnlyHint: 'yes', openWorldHint: false })).toEqual(['closed world']);
    expect(hintWords(null)).toEqual([]);
    const text = approvalPrompt(request({ text: `\u009b2J${'y'.repeat(10_000)}` }, { server: undefined }));
    expect(text).not.toContain('\u009b');
    expect(text.length).toBeLessThan(4400);
    expect(text).toContain('none given');
  });

  it('reads y and yes as yes, a and always as always, anything else as no', () => {
    expect(['y', 'YES', ' a ', 'always', 'n', '', undefined, 'ya'].map(approvalAnswer)).toEqual([
      true,
      true,
      'always',
      'always',
      false,
      false,
      false,
      false,
    ]);
  });
});

describe('changesText', () => {
  it("shows a server's tool name without its control characters", () => {
    const text = changesText([
      { server: 'web', tool: 'fetch\u001b[2Jpage', kind: 'redefined', action: 'hold', diff: 'description: "a" → "b"' },
    ]);
    expect(text).toContain('web/fetch?[2Jpage  redefined  hold');
    expect(text).not.toContain('\u001b');
  });
});
