import { silentLogger, type Logger } from '@universal-mcp/core';
import type { ResourceUpdatedEvent, UniversalMcpClient } from '@universal-mcp/supervisor';
import type { ResourceRef } from './resource-names.js';
import { failureCode } from './gateway-errors.js';

/** Tells one subscriber (a 2025 session, or the 2026 listen streams) that a resource was updated. */
export type UpdateSender = (shownUri: string) => void;

/** One upstream subscription: the URI its subscribers know it by, and who they are. */
interface Subscription {
  readonly shown: string;
  /** Subscriber (a session, a listen stream) → how it is told. */
  readonly owners: Map<object, UpdateSender>;
  /** Settles when the upstream subscription is made (or failed). */
  ready?: Promise<void>;
}

const keyOf = (ref: ResourceRef): string => `${ref.server}\u0000${ref.uri}`;

/**
 * Resource subscriptions of the downstream clients, shared upstream: the first subscriber
 * subscribes the client, the last to leave unsubscribes it, and an update goes to the subscribers
 * (under the URI they used), not to the others. Subscribers sharing one sender (the 2026 listen
 * streams share the handler's bus, which filters per stream) are told once.
 */
export class Subscriptions {
  readonly #client: UniversalMcpClient;
  readonly #byRef = new Map<string, Subscription>();
  readonly #detach: () => void;
  readonly #log: Logger;

  constructor(client: UniversalMcpClient, log: Logger = silentLogger) {
    this.#client = client;
    this.#log = log;
    const updated = (e: ResourceUpdatedEvent): void => {
      const sub = this.#byRef.get(keyOf(e));
      if (sub === undefined) return;
      for (const send of new Set(sub.owners.values())) send(sub.shown);
    };
    this.#detach = client.on('resource:updated', updated);
  }

  async subscribe(
    owner: object,
    send: UpdateSender,
    ref: ResourceRef,
    shown: string,
    signal: AbortSignal,
  ): Promise<void> {
    const key = keyOf(ref);
    const sub = this.#byRef.get(key);
    if (sub !== undefined) {
      await sub.ready;
      sub.owners.set(owner, send);
      return;
    }
    const created: Subscription = { shown, owners: new Map([[owner, send]]) };
    this.#byRef.set(key, created);
    created.ready = this.#client.subscribeResource(ref.server, ref.uri, { signal });
    try {
      await created.ready;
    } catch (err) {
      if (this.#byRef.get(key) === created) this.#byRef.delete(key);
      throw err;
    }
  }

  async unsubscribe(owner: object, ref: ResourceRef): Promise<void> {
    const key = keyOf(ref);
    const sub = this.#byRef.get(key);
    if (sub === undefined || !sub.owners.delete(owner) || sub.owners.size > 0) return;
    this.#byRef.delete(key);
    await this.#client.unsubscribeResource(ref.server, ref.uri);
  }

  /** A subscriber went away: its subscriptions end (upstream too, where it was the last). */
  leave(owner: object): void {
    for (const [key, sub] of this.#byRef) {
      if (!sub.owners.delete(owner) || sub.owners.size > 0) continue;
      this.#byRef.delete(key);
      const [server, uri] = key.split('\u0000') as [string, string];
      // The URI stays out of the line (it may carry a query with a key); the server and the error say enough.
      void this.#client
        .unsubscribeResource(server, uri)
        .catch((err: unknown) =>
          this.#log.warn({ code: failureCode(err), server }, 'resource not unsubscribed upstream'),
        );
    }
  }

  close(): void {
    this.#detach();
    this.#byRef.clear();
  }
}
