import type { Logger } from 'pino';
import type { LoggingLevel } from '@universal-mcp/core';
import type { Session } from '@universal-mcp/core/internal';

/**
 * What this client asked of a server's session that a new session would not know: resource
 * subscriptions and the log level. Told again after every restart.
 */
export class CarriedState {
  readonly subscriptions = new Set<string>();
  logLevel: LoggingLevel | undefined;

  /** Re-applies the log level and every subscription on a fresh session; a failure is logged, not thrown. */
  async restore(session: Session, timeoutMs: number, log: Logger): Promise<void> {
    const options = { timeoutMs };
    try {
      if (this.logLevel !== undefined && session.capabilities?.logging !== undefined)
        await session.setLoggingLevel(this.logLevel, options);
      await Promise.all([...this.subscriptions].map((uri) => session.subscribeResource(uri, options)));
    } catch (err) {
      log.warn({ err }, 'could not restore subscriptions or log level after restart');
    }
  }
}
