import { ErrorCode, UniversalMcpError } from '@universal-mcp/core';
import { didYouMean } from '@universal-mcp/core/internal';
import type { SupervisedServer } from './supervised-server.js';

/**
 * The client's servers by name, and whether the client is closed: a name not registered is
 * `SERVER_NOT_FOUND` with a guess, anything asked of a closed client `CLOSED`.
 */
export class ServerRegistry {
  readonly #servers = new Map<string, SupervisedServer>();
  #closed = false;

  /** From now on every lookup fails with `CLOSED`. */
  close(): void {
    this.#closed = true;
  }

  get closed(): boolean {
    return this.#closed;
  }

  assertOpen(): void {
    if (this.#closed) throw this.closedError();
  }

  closedError(): UniversalMcpError {
    return new UniversalMcpError(ErrorCode.CLOSED, 'The client is closed');
  }

  /** The server, or `CLOSED` / `SERVER_NOT_FOUND` thrown. */
  get(name: string): SupervisedServer {
    this.assertOpen();
    const server = this.#servers.get(name);
    if (server === undefined) throw this.notFound(name);
    return server;
  }

  /** The server, undefined when none is registered under `name` (closed or not). */
  find(name: string): SupervisedServer | undefined {
    return this.#servers.get(name);
  }

  has(name: string): boolean {
    return this.#servers.has(name);
  }

  add(server: SupervisedServer): void {
    this.#servers.set(server.name, server);
  }

  /** Forgets `server` if it is still the one registered under its name (a newer one under it stays). */
  delete(server: SupervisedServer): boolean {
    if (this.#servers.get(server.name) !== server) return false;
    this.#servers.delete(server.name);
    return true;
  }

  names(): string[] {
    return [...this.#servers.keys()];
  }

  servers(): SupervisedServer[] {
    return [...this.#servers.values()];
  }

  entries(): [string, SupervisedServer][] {
    return [...this.#servers];
  }

  /** One value per server, by name: own data properties only (a server may be called "__proto__"). */
  byName<T>(fn: (s: SupervisedServer) => T): Record<string, T> {
    return Object.fromEntries([...this.#servers].map(([name, s]) => [name, fn(s)]));
  }

  /** Runs `fn` on the server; a closed client or an unknown name rejects (never throws). */
  with<T>(name: string, fn: (s: SupervisedServer) => Promise<T>): Promise<T> {
    if (this.#closed) return Promise.reject(this.closedError());
    const s = this.#servers.get(name);
    if (s === undefined) return Promise.reject(this.notFound(name));
    return fn(s);
  }

  notFound(name: string): UniversalMcpError {
    const known = this.names();
    const guess = didYouMean(name, known);
    return new UniversalMcpError(
      ErrorCode.SERVER_NOT_FOUND,
      `Server "${name}" not found${guess === undefined ? '' : ` (did you mean "${guess}"?)`}. ` +
        `Registered servers: ${known.length > 0 ? known.join(', ') : '(none)'}`,
      { server: name, details: { available: known, didYouMean: guess } },
    );
  }
}
