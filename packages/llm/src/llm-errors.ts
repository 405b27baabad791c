import { CodedError } from '@universal-mcp/core';

/**
 * What went wrong in the llm package, as a stable string to branch on. A tool call's failure is not here: it
 * reaches the model as the call's result (a `ToolOutcome`), and the toolset's errors are core's `ErrorCode`.
 */
export const LlmErrorCode = {
  /** A run still called tools after `maxSteps` model turns ({@link MaxStepsError}). */
  MAX_STEPS: 'MAX_STEPS',
  /** The run was stopped with its AbortSignal ({@link RunAbortedError}). */
  CANCELLED: 'CANCELLED',
  /** The catalog offered is larger than the model takes (`maxTools`) and `toolSelection` is `'off'`. */
  TOO_MANY_TOOLS: 'TOO_MANY_TOOLS',
  /** An option is out of its range (`toolSelection.k`, `toolSelection.mode`); nothing was sent. */
  INVALID_OPTIONS: 'INVALID_OPTIONS',
  /** The model's client did not stream, or its stream reported a failure (the provider's text in the message). */
  MODEL_FAILED: 'MODEL_FAILED',
  /** A schema past core's `DEFAULT_SCHEMA_LIMITS` was given to a conversion ({@link SchemaTooLargeError}). */
  SCHEMA_TOO_LARGE: 'SCHEMA_TOO_LARGE',
} as const;

/** One of the {@link LlmErrorCode} strings. */
export type LlmErrorCode = (typeof LlmErrorCode)[keyof typeof LlmErrorCode];

/** The errors the llm package throws: a core `CodedError` with an {@link LlmErrorCode}. */
export class LlmError extends CodedError<LlmErrorCode> {
  override readonly name: string = 'LlmError';
}

/** The run took more than `maxSteps` model turns. */
export class MaxStepsError extends LlmError {
  override readonly name = 'MaxStepsError';
  declare readonly code: typeof LlmErrorCode.MAX_STEPS;
  constructor(readonly maxSteps: number) {
    super(LlmErrorCode.MAX_STEPS, `The model was still calling tools after ${maxSteps} steps (maxSteps)`);
  }
}

/** The run was stopped with its AbortSignal. */
export class RunAbortedError extends LlmError {
  override readonly name = 'RunAbortedError';
  declare readonly code: typeof LlmErrorCode.CANCELLED;
  constructor() {
    super(LlmErrorCode.CANCELLED, 'The run was stopped');
  }
}
