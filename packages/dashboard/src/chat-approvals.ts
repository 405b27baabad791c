import { randomUUID } from 'node:crypto';
import type { LlmTool, ToolCallRecord } from '@universal-mcp/llm';
import type { ToolAccess, ToolChange, UniversalMcpClient } from '@universal-mcp/supervisor';
import { approvalArgs } from './redaction.js';

/** The behaviour hints of a tool's annotations, as its server declares them. */
export interface ToolHints {
  readonly readOnlyHint?: boolean;
  readonly destructiveHint?: boolean;
  readonly idempotentHint?: boolean;
  readonly openWorldHint?: boolean;
}

const HINTS = ['readOnlyHint', 'destructiveHint', 'idempotentHint', 'openWorldHint'] as const;

/** The hints of a server's `annotations`: only the four known keys, only when boolean (the rest is the server's). */
function hintsOf(annotations: unknown): ToolHints {
  if (typeof annotations !== 'object' || annotations === null) return {};
  const given = annotations as Record<string, unknown>;
  return Object.fromEntries(HINTS.filter((k) => typeof given[k] === 'boolean').map((k) => [k, given[k]]));
}

/** A tool's definition changed since it was pinned, or it shadows another server's tool: what the card shows. */
export type FlaggedChange = Pick<ToolChange, 'kind' | 'action' | 'diff' | 'shadows'>;

/** A tool call waiting for the user's word in the page. */
export interface PendingApproval {
  readonly id: string;
  readonly conversationId: string;
  readonly callId: string;
  readonly name: string;
  readonly server?: string | undefined;
  readonly tool?: string | undefined;
  /** The arguments the call will get: secrets redacted, cut at 16 K characters (`argsCut` says so). */
  readonly args: unknown;
  readonly argsCut?: boolean | undefined;
  /** The server's own annotations of the tool (hints it gives, not checked by anyone): the booleans only. */
  readonly hints: ToolHints;
  /** The server is marked `trusted` in its config (its annotations are believed); false for an unknown tool. */
  readonly trusted: boolean;
  /** The tool's change not yet accepted, when it is flagged. */
  readonly change?: FlaggedChange | undefined;
}

/** How a call's approval was settled: by policy without asking, by an earlier "remember", or by the user now. */
export type ApprovalWord = 'unasked' | 'remembered' | 'approved' | 'denied';

/**
 * The chat's approvals: which calls are asked (the facade's `toolAccess(...).needsApproval`), the
 * questions waiting in the page, and the tools a user said to remember for a conversation. Remembered
 * approvals live in this process only: a restart, or a new conversation, asks again.
 */
export class ChatApprovals {
  readonly #pending = new Map<string, PendingApproval & { resolve: (approved: boolean) => void }>();
  /**
   * Per conversation, per `server\0tool`: the change diff the tool had when it was remembered (`''`
   * for none). A change flagged later does not ride on an earlier "remember": it is asked again.
   */
  readonly #remembered = new Map<string, Map<string, string>>();

  constructor(
    private readonly client: UniversalMcpClient,
    private readonly told: (approval: PendingApproval) => void,
  ) {}

  /**
   * Settles a call's approval: unasked when the policy needs none, yes when remembered, else the
   * page is asked (a stop answers no).
   */
  async decide(
    conversationId: string,
    signal: AbortSignal,
    call: ToolCallRecord,
    tool: LlmTool | undefined,
  ): Promise<ApprovalWord> {
    const access = this.#access(tool);
    if (access !== undefined && !access.needsApproval) return 'unasked';
    const key = tool === undefined ? undefined : `${tool.server}\u0000${tool.tool}`;
    const diff = access?.change?.diff ?? '';
    if (key !== undefined && this.#remembered.get(conversationId)?.get(key) === diff) return 'remembered';
    if (signal.aborted) return 'denied';
    const { args, cut } = approvalArgs(call.args);
    const change = access?.change;
    const approval: PendingApproval = {
      id: randomUUID(),
      conversationId,
      callId: call.id,
      name: call.name,
      server: tool?.server,
      tool: tool?.tool,
      args,
      ...(cut ? { argsCut: true } : {}),
      hints: hintsOf(tool?.definition.annotations),
      trusted: access?.trusted === true,
      ...(change === undefined
        ? {}
        : { change: { kind: change.kind, action: change.action, diff: change.diff, shadows: change.shadows } }),
    };
    const approved = await new Promise<boolean>((resolve) => {
      const onAbort = () => this.answer(approval.id, false);
      signal.addEventListener('abort', onAbort, { once: true });
      this.#pending.set(approval.id, {
        ...approval,
        resolve: (yes) => {
          signal.removeEventListener('abort', onAbort);
          resolve(yes);
        },
      });
      this.told(approval);
    });
    return approved ? 'approved' : 'denied';
  }

  /**
   * What the facade says of the tool; undefined for a tool not in the toolset or a server removed
   * meanwhile (then the call is asked: nothing says it may run unasked).
   */
  #access(tool: LlmTool | undefined): ToolAccess | undefined {
    if (tool === undefined || !this.client.listServers().includes(tool.server)) return undefined;
    return this.client.toolAccess(tool.server, tool.tool);
  }

  /**
   * The user's word on a call; false when nothing waits under that id. With `remember`, later calls
   * of the same tool in that conversation run unasked (and those waiting now are approved).
   */
  answer(approvalId: string, approved: boolean, remember = false): boolean {
    const pending = this.#pending.get(approvalId);
    if (pending === undefined) return false;
    this.#pending.delete(approvalId);
    pending.resolve(approved);
    if (approved && remember && pending.server !== undefined && pending.tool !== undefined) {
      const key = `${pending.server}\u0000${pending.tool}`;
      const diff = pending.change?.diff ?? '';
      let tools = this.#remembered.get(pending.conversationId);
      if (tools === undefined) this.#remembered.set(pending.conversationId, (tools = new Map()));
      tools.set(key, diff);
      for (const other of [...this.#pending.values()])
        if (
          other.conversationId === pending.conversationId &&
          other.server === pending.server &&
          other.tool === pending.tool &&
          (other.change?.diff ?? '') === diff
        )
          this.answer(other.id, true);
    }
    return true;
  }

  /** The questions of a conversation waiting now. */
  waiting(conversationId: string): PendingApproval[] {
    return [...this.#pending.values()]
      .filter((a) => a.conversationId === conversationId)
      .map(({ resolve: _, ...a }) => a);
  }

  /** Drops what was remembered for a conversation (it was deleted). */
  forget(conversationId: string): void {
    this.#remembered.delete(conversationId);
  }
}
