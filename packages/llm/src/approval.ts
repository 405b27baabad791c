import { silentLogger, type Logger } from '@universal-mcp/core';
import type { Tool, ToolChange } from '@universal-mcp/supervisor';
import type { ToolCallRecord } from './model.js';
import type { LlmTool } from './llm-tool.js';

/**
 * Which tool calls the agent asks about: `policy` (as the client's tool policy says, per tool:
 * {@link LlmTool.needsApproval}), `all`, `none`. `non-read-only` is the old default, kept as an alias
 * of `policy`: it trusted any server's `readOnlyHint`, which only a `trusted` server's deserves.
 */
export type ApprovalMode = 'policy' | 'all' | 'none' | 'non-read-only';

/** What `approve` answers: yes, no, or `'always'` (yes, and for this tool for the rest of the conversation). */
export type ApprovalAnswer = boolean | 'always';

/** A tool call waiting for the user's word, with what the user needs to judge it. */
export interface ApprovalRequest {
  readonly call: ToolCallRecord;
  /** The tool it would call (undefined when the model named none of the toolset's). */
  readonly tool: LlmTool | undefined;
  /** The server the tool is on. */
  readonly server: string | undefined;
  /** The tool's name on its server (the model's name for it when unknown). */
  readonly toolName: string;
  /** The arguments the model chose (a model writes them: bound them before showing them). */
  readonly arguments: unknown;
  /** The tool's annotations: the server's own claims, only a `trusted` server's count. */
  readonly annotations: Tool['annotations'] | undefined;
  /** The server is marked `trusted`. */
  readonly trusted: boolean;
  /** Set when the tool's definition changed since it was pinned (or it shadows another's): its `diff` says how. */
  readonly change: ToolChange | undefined;
}

/** The function the agent asks. */
export type Approve = (request: ApprovalRequest) => ApprovalAnswer | Promise<ApprovalAnswer>;

/** How a call was let through or stopped; undefined from {@link Approver.decide} when no one was asked. */
export interface ApprovalDecision {
  readonly approved: boolean;
  /** Approved without asking, by an earlier `'always'` for this tool in the conversation. */
  readonly remembered: boolean;
}

/**
 * The key an `'always'` is remembered under: `server/tool`, and the tool's change when it is flagged, so that a
 * change flagged later does not ride on an earlier `'always'`: it is asked again.
 */
export const rememberKey = (server: string, tool: string, change?: ToolChange): string =>
  change === undefined ? `${server}/${tool}` : `${server}/${tool}#${change.kind}\n${change.diff}`;

function requestFor(call: ToolCallRecord, tool: LlmTool | undefined): ApprovalRequest {
  return {
    call,
    tool,
    server: tool?.server,
    toolName: tool?.tool ?? call.name,
    arguments: call.args,
    annotations: tool?.definition.annotations,
    trusted: tool?.trusted ?? false,
    change: tool?.change,
  };
}

/**
 * The approvals of one run: asks one at a time (so an `'always'` answered for a tool spares a parallel
 * call of it waiting behind), and remembers `'always'` in the conversation's set.
 */
export class Approver {
  readonly #approve: Approve | undefined;
  readonly #mode: ApprovalMode;
  readonly #remembered: Set<string>;
  readonly #log: Logger;
  #turn: Promise<unknown> = Promise.resolve();

  constructor(approve: Approve | undefined, mode: ApprovalMode, remembered: Set<string>, log: Logger = silentLogger) {
    this.#approve = approve;
    this.#mode = mode;
    this.#remembered = remembered;
    this.#log = log;
  }

  /** Whether `tool` is asked about under the mode (the policy's answer, for `policy`). */
  #asks(tool: LlmTool | undefined): boolean {
    if (this.#approve === undefined || this.#mode === 'none') return false;
    if (this.#mode === 'all') return true;
    // An unknown name is not asked about: the call fails typed (TOOL_NOT_FOUND or TOOL_DENIED) unsent.
    return tool?.needsApproval === true;
  }

  /** Asks about `call` when the mode says so; a throw from `approve` is a no. */
  decide(call: ToolCallRecord, tool: LlmTool | undefined): Promise<ApprovalDecision | undefined> {
    if (!this.#asks(tool)) return Promise.resolve(undefined);
    const asked = this.#turn.then(async (): Promise<ApprovalDecision> => {
      const key = tool === undefined ? undefined : rememberKey(tool.server, tool.tool, tool.change);
      if (key !== undefined && this.#remembered.has(key)) return { approved: true, remembered: true };
      let answer: ApprovalAnswer;
      try {
        answer = (await this.#approve?.(requestFor(call, tool))) ?? false;
      } catch (err) {
        // The arguments stay out of the line: they may carry what the user typed.
        this.#log.warn(
          { err, server: tool?.server, tool: tool?.tool ?? call.name },
          'approve threw: the call is denied',
        );
        answer = false;
      }
      if (answer === 'always' && key !== undefined) this.#remembered.add(key);
      return { approved: answer === true || answer === 'always', remembered: false };
    });
    this.#turn = asked;
    return asked;
  }
}
