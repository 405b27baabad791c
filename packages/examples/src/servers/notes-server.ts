import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { modeFromArgv, serve } from '../serve.js';

// An offline notes server: add, list and search notes kept in memory.
const notes: { id: number; title: string; body: string }[] = [];

function build(): McpServer {
  const server = new McpServer({ name: 'notes', version: '1.0.0' });
  server.registerTool(
    'add_note',
    {
      description: 'Add a note',
      inputSchema: { title: z.string().min(1), body: z.string() },
      annotations: { idempotentHint: false },
    },
    async ({ title, body }) => {
      const note = { id: notes.length + 1, title, body };
      notes.push(note);
      return { content: [{ type: 'text', text: `Saved note #${note.id}: ${title}` }] };
    },
  );
  server.registerTool(
    'list_notes',
    { description: 'List every note', annotations: { readOnlyHint: true } },
    async () => ({
      content: [
        { type: 'text', text: notes.length === 0 ? '(no notes)' : notes.map((n) => `#${n.id} ${n.title}`).join('\n') },
      ],
    }),
  );
  server.registerTool(
    'search_notes',
    {
      description: 'Find notes whose title or body contains the query',
      inputSchema: { query: z.string() },
      annotations: { readOnlyHint: true },
    },
    async ({ query }) => {
      const q = query.toLowerCase();
      const hits = notes.filter((n) => n.title.toLowerCase().includes(q) || n.body.toLowerCase().includes(q));
      return {
        content: [
          {
            type: 'text',
            text: hits.length === 0 ? 'no match' : hits.map((n) => `#${n.id} ${n.title}: ${n.body}`).join('\n'),
          },
        ],
      };
    },
  );
  return server;
}

const { mode, port } = modeFromArgv();
await serve(build, mode, port);
