import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { ResourceUpdatedEvent, UniversalMcpClient } from '@universal-mcp/supervisor';
import type { ResourceRef } from './resource-names.js';

/** One upstream subscription: the URI its sessions know it by, and who they are. */
interface Subscription {
  readonly shown: string;
  readonly sessions: Set<Server>;
  /** Settles when the upstream subscription is made (or failed). */
  ready?: Promise<void>;
}

const keyOf = (ref: ResourceRef): string => `${ref.server}\u0000${ref.uri}`;

/**
 * Resource subscriptions of the downstream sessions, shared upstream: the first session to
 * subscribe subscribes the client, the last to leave unsubscribes it, and an update goes to the
 * sessions subscribed (under the URI they used), not to the others.
 */
export class Subscriptions {
  readonly #client: UniversalMcpClient;
  readonly #byRef = new Map<string, Subscription>();
  readonly #detach: () => void;

  constructor(client: UniversalMcpClient) {
    this.#client = client;
    const updated = (e: ResourceUpdatedEvent): void => {
      const sub = this.#byRef.get(keyOf(e));
      if (sub === undefined) return;
      for (const s of sub.sessions) void s.sendResourceUpdated({ uri: sub.shown }).catch(() => undefined);
    };
    client.on('resource:updated', updated);
    this.#detach = () => client.off('resource:updated', updated);
  }

  async subscribe(session: Server, ref: ResourceRef, shown: string, signal: AbortSignal): Promise<void> {
    const key = keyOf(ref);
    const sub = this.#byRef.get(key);
    if (sub !== undefined) {
      await sub.ready;
      sub.sessions.add(session);
      return;
    }
    const created: Subscription = { shown, sessions: new Set([session]) };
    this.#byRef.set(key, created);
    created.ready = this.#client.subscribeResource(ref.server, ref.uri, { signal });
    try {
      await created.ready;
    } catch (err) {
      if (this.#byRef.get(key) === created) this.#byRef.delete(key);
      throw err;
    }
  }

  async unsubscribe(session: Server, ref: ResourceRef): Promise<void> {
    const key = keyOf(ref);
    const sub = this.#byRef.get(key);
    if (sub === undefined || !sub.sessions.delete(session) || sub.sessions.size > 0) return;
    this.#byRef.delete(key);
    await this.#client.unsubscribeResource(ref.server, ref.uri);
  }

  /** A session went away: its subscriptions end (upstream too, where it was the last). */
  leave(session: Server): void {
    for (const [key, sub] of this.#byRef) {
      if (!sub.sessions.delete(session) || sub.sessions.size > 0) continue;
      this.#byRef.delete(key);
      const [server, uri] = key.split('\u0000') as [string, string];
      void this.#client.unsubscribeResource(server, uri).catch(() => undefined);
    }
  }

  close(): void {
    this.#detach();
    this.#byRef.clear();
  }
}
