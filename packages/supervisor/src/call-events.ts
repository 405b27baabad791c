import type { CallToolResult, UniversalMcpError } from '@universal-mcp/core';
import type { EventHub } from './event-hub.js';
import type { UniversalMcpEvents } from './events.js';

/**
 * Runs a tool call between one `call:start` and one `call:end`, whatever ends it (not found, not
 * ready, full, invalid…). Nothing is timed or built when no one listens to either.
 */
export function withCallEvents(
  events: EventHub<UniversalMcpEvents>,
  server: string,
  tool: string,
  run: () => Promise<CallToolResult>,
): Promise<CallToolResult> {
  if (events.listenerCount('call:start') + events.listenerCount('call:end') === 0) return run();
  const started = performance.now();
  events.emit('call:start', { server, tool });
  return run().then(
    (result) => {
      events.emit('call:end', { server, tool, durationMs: performance.now() - started, ok: true });
      return result;
    },
    (error: UniversalMcpError) => {
      events.emit('call:end', { server, tool, durationMs: performance.now() - started, ok: false, error });
      throw error;
    },
  );
}
