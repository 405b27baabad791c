/** Why a listener refuses to start with the token it was given (or not given). */
export const GuardErrorCode = {
  /** A token was given but is shorter than {@link MIN_TOKEN_LENGTH} characters. */
  TOKEN_TOO_SHORT: 'TOKEN_TOO_SHORT',
  /** `token: false` (none) on an address that is not loopback: anyone who reaches it could use it. */
  TOKEN_REQUIRED: 'TOKEN_REQUIRED',
  /** A generated token on an address that is not loopback: its clients need one they were given. */
  TOKEN_NOT_GIVEN: 'TOKEN_NOT_GIVEN',
} as const;

/** One of {@link GuardErrorCode}. */
export type GuardErrorCode = (typeof GuardErrorCode)[keyof typeof GuardErrorCode];

/** The shortest token a listener takes. */
export const MIN_TOKEN_LENGTH = 16;

/** A listener's token setting refused before anything is served; branch on `code`, never on the message. */
export class GuardError extends Error {
  override readonly name = 'GuardError';
  readonly code: GuardErrorCode;

  constructor(code: GuardErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}
