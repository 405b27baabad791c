/** One level of a {@link Logger}: pino's shape, object first, then a constant message. */
export type LogFn = (obj: object, msg: string) => void;

/**
 * The logger the packages above core take (`logger` options): the part of pino they use, so a pino
 * logger fits as is, and so does any object with these four methods. Log lines carry no secrets.
 */
export interface Logger {
  readonly error: LogFn;
  readonly warn: LogFn;
  readonly info: LogFn;
  readonly debug: LogFn;
}

const quiet: LogFn = () => undefined;

/** The default: logs nothing. */
export const silentLogger: Logger = Object.freeze({ error: quiet, warn: quiet, info: quiet, debug: quiet });
