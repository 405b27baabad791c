import type { Logger } from 'pino';
import type { InputRound, LoggingLevel, LoggingMessageNotification, ServerConfig } from '@universal-mcp/core';
import { StderrTail, classifyTransportError, type Session, type SessionListener } from '@universal-mcp/core/internal';
import type { UniversalMcpEvents } from './events.js';
import { LogThrottle } from './log-throttle.js';
import type { Telemetry } from './telemetry.js';

const PINO_LEVEL: Record<LoggingLevel, 'debug' | 'info' | 'warn' | 'error' | 'fatal'> = {
  debug: 'debug',
  info: 'info',
  notice: 'info',
  warning: 'warn',
  error: 'error',
  critical: 'fatal',
  alert: 'fatal',
  emergency: 'fatal',
};
/**
 * The SDK reports a message for a request that already ended (a late answer, progress after a timeout): expected, not
 * a fault.
 */
const LATE_MESSAGE = /unknown (?:token|message ID)|for an unknown|after (?:the )?request/i;

/** How a server's session listener reaches its server. */
export interface ServerSessionListenerOptions {
  readonly config: ServerConfig;
  readonly log: Logger;
  /** Emits one of the client's events. */
  emit<E extends keyof UniversalMcpEvents>(event: E, payload: Parameters<UniversalMcpEvents[E]>[0]): void;
  readonly telemetry: Telemetry | undefined;
}

/**
 * What a supervised server's sessions report besides answers: each session made (kept until it
 * closes, so a stop can await them all), stderr lines (the last ones kept for `getServerInfo`),
 * transport errors (late messages ignored, noise rate-limited), server logs, resource updates,
 * SDK warnings and input rounds, each to the log and as an event. Its members are arrow functions:
 * the machine may call them detached.
 */
export class ServerSessionListener implements SessionListener {
  /** Every session made and not yet closed. */
  readonly sessions = new Set<Session>();
  readonly #stderr = new StderrTail();
  readonly #noisyTransport = new LogThrottle(10, 60_000);
  readonly #options: ServerSessionListenerOptions;
  readonly #name: string;

  constructor(options: ServerSessionListenerOptions) {
    this.#options = options;
    this.#name = options.config.name;
  }

  /** The last stderr lines, for `getServerInfo`. */
  stderrLines(): string[] {
    return this.#stderr.lines();
  }

  readonly created = (session: Session): void => {
    this.sessions.add(session);
    void session.closed.then(() => this.sessions.delete(session));
  };

  readonly stderr = (line: string): void => {
    this.#stderr.push(line);
    this.#options.log.debug({ line }, 'stderr');
    this.#options.emit('server:stderr', { server: this.#name, line });
  };

  readonly transportError = (err: Error): void => {
    const log = this.#options.log;
    if (LATE_MESSAGE.test(err.message)) {
      log.debug({ reason: err.message }, 'late message ignored');
      return;
    }
    // An error that ends the connection (on legacy SSE, every error does) is told once, by the state change and the
    // reconnect line that follow it.
    const transport = this.#options.config.transport;
    if (transport === 'sse' || (transport === 'streamable_http' && classifyTransportError(err) !== 'other')) {
      log.debug({ reason: err.message }, 'transport error');
      return;
    }
    const suppressed = this.#noisyTransport.take(Date.now());
    if (suppressed !== false) log.warn({ reason: err.message, suppressed }, 'transport error');
  };

  readonly resourceUpdated = (uri: string): void => {
    this.#options.emit('resource:updated', { server: this.#name, uri });
  };

  readonly log = (params: LoggingMessageNotification['params']): void => {
    this.#options.log[PINO_LEVEL[params.level] ?? 'info']({ logger: params.logger, data: params.data }, 'server log');
    this.#options.emit('server:log', {
      server: this.#name,
      level: params.level,
      logger: params.logger,
      data: params.data,
    });
  };

  readonly warning = (message: string): void => {
    this.#options.log.warn({ warning: message }, 'SDK warning');
  };

  readonly inputRequired = (round: InputRound): void => {
    // The server chose the method names: bounded like any other text it sends before they reach logs and events.
    const event = {
      server: this.#name,
      method: round.method.slice(0, 128),
      round: round.round,
      requests: round.requests.slice(0, 64).map((r) => ({ key: r.key.slice(0, 128), method: r.method.slice(0, 128) })),
    };
    this.#options.log.debug({ method: event.method, round: event.round, requests: event.requests }, 'input required');
    this.#options.telemetry?.inputRequired(event);
    this.#options.emit('server:input-required', event);
  };
}
