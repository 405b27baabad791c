import { ErrorCode, UniversalMcpError } from '@universal-mcp/core';
import type { WhenReadyOptions } from './client-options.js';
import type { EventHub } from './event-hub.js';
import type { UniversalMcpEvents } from './events.js';
import type { ServerRegistry } from './server-registry.js';

/**
 * What {@link UniversalMcpClient.whenReady} waits with: resolves when every named server (default:
 * every registered one) is ready; rejects with `SERVER_NOT_FOUND`, `SERVER_UNAVAILABLE` (one given
 * up), `CLOSED` (one removed), `TIMEOUT` or `CANCELLED`, naming every server not ready and why.
 */
export function whenServersReady(
  registry: ServerRegistry,
  events: EventHub<UniversalMcpEvents>,
  names: readonly string[] | undefined,
  options: WhenReadyOptions,
): Promise<void> {
  if (registry.closed) return Promise.reject(registry.closedError());
  const wanted = names === undefined ? registry.names() : [...new Set(names)];
  const missing = wanted.find((n) => !registry.has(n));
  if (missing !== undefined) return Promise.reject(registry.notFound(missing));
  const timeoutMs = options.timeoutMs ?? 30_000;
  const report = (code: ErrorCode, why: string): UniversalMcpError => {
    const pending = wanted.filter((n) => registry.find(n)?.state !== 'ready');
    const servers = Object.fromEntries(
      pending.map((n) => {
        const s = registry.find(n);
        return [n, { state: s === undefined ? 'removed' : s.givenUp ? 'given up' : s.state, error: s?.lastError }];
      }),
    );
    const list = pending.map((n) => {
      const { state, error } = servers[n] ?? { state: 'removed', error: undefined };
      return `${n} (${state}${error === undefined ? '' : `: ${error.message}`})`;
    });
    const details = code === ErrorCode.TIMEOUT ? { kind: 'deadline' as const, ms: timeoutMs, servers } : { servers };
    return new UniversalMcpError(code, `${why}: ${list.join('; ')}`, { details });
  };
  return new Promise<void>((resolve, reject) => {
    const check = (): void => {
      if (wanted.some((n) => !registry.has(n)))
        return finish(report(ErrorCode.CLOSED, 'A server was removed before it was ready'));
      if (wanted.some((n) => registry.find(n)?.givenUp === true))
        return finish(report(ErrorCode.SERVER_UNAVAILABLE, 'A server was given up'));
      if (wanted.every((n) => registry.find(n)?.state === 'ready')) finish(undefined);
    };
    const onAbort = (): void => finish(new UniversalMcpError(ErrorCode.CANCELLED, 'Waiting for servers was cancelled'));
    const timer = setTimeout(
      () => finish(report(ErrorCode.TIMEOUT, `Servers not ready within ${timeoutMs} ms`)),
      Math.min(timeoutMs, 2 ** 31 - 1),
    );
    const finish = (err: UniversalMcpError | undefined): void => {
      clearTimeout(timer);
      events.off('server:ready', check);
      events.off('server:given-up', check);
      events.off('server:removed', check);
      options.signal?.removeEventListener('abort', onAbort);
      if (err === undefined) resolve();
      else reject(err);
    };
    events.on('server:ready', check);
    events.on('server:given-up', check);
    events.on('server:removed', check);
    if (options.signal?.aborted) return onAbort();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    check();
  });
}
