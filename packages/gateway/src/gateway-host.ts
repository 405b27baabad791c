import type { Server, ServerEventBus } from '@modelcontextprotocol/server';
import type { ToolPolicy } from '@universal-mcp/core';
import type { Revision } from './revisions.js';
import type { Era } from './session-server.js';
import type { ToolView } from './tool-view.js';

/**
 * What an HTTP listener and its endpoints take from the gateway that started them. The gateway
 * implements it; the listener's files import this type, not the gateway, so the gateway can start a
 * listener without an import circle.
 */
export interface GatewayHost {
  /** Where changes go for 2026 clients that listen. */
  readonly bus: ServerEventBus;
  /** This gateway's name among replicas. */
  readonly replica: string;
  /** The revisions served. */
  readonly revisions: readonly Revision[];
  /** Subscribes a stream to resources until `signal` aborts; gives the function that ends it. */
  subscribeStream(uris: readonly string[], signal: AbortSignal): Promise<() => void>;
  /**
   * A server instance for one session or one request of the given era; `principal`: whose tasks it starts
   * and sees (default: a 2025 session's own; the main endpoint's for 2026 requests).
   */
  createServer(era: Era, revisions?: readonly Revision[], view?: ToolView, principal?: string): Server;
  /** An endpoint's view of the tools under its policy, and what drops it. */
  toolView(policy: ToolPolicy | undefined): { view: ToolView; drop: () => void };
}
