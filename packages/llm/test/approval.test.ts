import { describe, expect, it } from 'vitest';
import type { ToolChange } from '@universal-mcp/supervisor';
import { Approver, type ApprovalRequest } from '../src/approval.js';
import type { LlmTool } from '../src/llm-tool.js';

// The Approver's bookkeeping: who is asked, and what an 'always' covers. (The agent's tests drive it end to end
// with real servers and the scripted provider; this checks the remembering rule alone.)
const tool = (change?: ToolChange): LlmTool =>
  ({
    name: 'web_fetch',
    server: 'web',
    tool: 'fetch',
    needsApproval: true,
    trusted: false,
    change,
    definition: { name: 'fetch', inputSchema: { type: 'object' } },
  }) as LlmTool;
const call = { id: 'c1', name: 'web_fetch', args: { url: 'https://example.com' } };
const changed: ToolChange = { server: 'web', tool: 'fetch', kind: 'redefined', action: 'warn', diff: 'description' };

describe('Approver', () => {
  it("remembers an 'always' for the tool, but not past a change flagged later", async () => {
    const asked: ApprovalRequest[] = [];
    const approver = new Approver(
      (request) => {
        asked.push(request);
        return 'always';
      },
      'policy',
      new Set(),
    );
    expect(await approver.decide(call, tool())).toEqual({ approved: true, remembered: false });
    expect(await approver.decide(call, tool())).toEqual({ approved: true, remembered: true });
    expect(asked).toHaveLength(1);
    // The server redefined the tool since: the earlier 'always' does not cover the new definition.
    expect(await approver.decide(call, tool(changed))).toEqual({ approved: true, remembered: false });
    expect(asked).toHaveLength(2);
    expect(asked[1]).toMatchObject({ server: 'web', toolName: 'fetch', change: changed, trusted: false });
    expect(await approver.decide(call, tool(changed))).toEqual({ approved: true, remembered: true });
  });

  it('asks nothing when the policy needs no approval, and a throw from approve is a no', async () => {
    const approver = new Approver(
      () => {
        throw new Error('no terminal');
      },
      'policy',
      new Set(),
    );
    expect(await approver.decide(call, { ...tool(), needsApproval: false })).toBeUndefined();
    expect(await approver.decide(call, tool())).toEqual({ approved: false, remembered: false });
  });
});
