import type { Hono } from 'hono';
import type { ToolChange, UniversalMcpClient } from '@universal-mcp/supervisor';
import { describeError } from './dashboard-calls.js';
import { jsonBody } from './json-body.js';

/**
 * The "Changed tools" review's API, behind the dashboard's token and Host/Origin checks like every
 * `/api` route: `GET /api/tool-changes` (every change not yet accepted: redefined or shadowing,
 * warned, held or blocked, with its diff) and `POST /api/tool-changes/accept` with
 * `{ server, tool, sha256? }` (pins the tool's current definition, only if it is the one with that sha256 when
 * given: a definition changed again since the page showed it is not accepted unseen; a held or blocked tool
 * is offered again).
 */
export function toolChangeRoutes(app: Hono, client: UniversalMcpClient): void {
  app.get('/api/tool-changes', (c) => c.json(client.toolChanges()));
  app.post('/api/tool-changes/accept', async (c) => {
    const { server, tool, sha256 } = await jsonBody(c);
    if (typeof server !== 'string' || typeof tool !== 'string' || (sha256 !== undefined && typeof sha256 !== 'string'))
      return c.json({ error: 'Send { "server": string, "tool": string, "sha256"?: string }' }, 400);
    try {
      return (await client.acceptToolChange(server, tool, sha256))
        ? c.json({ ok: true })
        : c.json({ error: 'No change of that tool with that definition waits to be accepted' }, 404);
    } catch (err) {
      return c.json({ error: describeError(err).text }, 400);
    }
  });
}

/**
 * Tells one page of the client's `tool:changed` and `tool:accepted` (as `tool-change` and
 * `tool-accepted` events of its stream) until the returned function is called.
 */
export function watchToolChanges(
  client: UniversalMcpClient,
  send: (event: string, value: unknown) => void,
): () => void {
  const changed = client.on('tool:changed', (change: ToolChange) => send('tool-change', change));
  const accepted = client.on('tool:accepted', (e) => send('tool-accepted', e));
  return () => {
    changed();
    accepted();
  };
}
