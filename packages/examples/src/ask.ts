// A service that answers one question with tools from three supervised servers: notes (stdio),
// units (Streamable HTTP) and an archive (legacy SSE). The model is any OpenAI-compatible one:
//   OPENAI_API_KEY=… node dist/ask.js "Convert 100 C to F and keep a note of it"
//   OPENAI_BASE_URL=http://127.0.0.1:11434/v1 MODEL=llama3.1 node dist/ask.js "…"   (Ollama)
import OpenAI from 'openai';
import { Agent, createToolset, openAiChat } from '@universal-mcp/llm';
import { UniversalMcpClient } from '@universal-mcp/supervisor';
import { exampleServerPath, startHttpExample } from './spawn-example-server.js';

const question = process.argv.slice(2).join(' ') || 'Convert 100 C to F and keep a note of the answer.';
const units = await startHttpExample('units-server', 'http');
const archive = await startHttpExample('notes-server', 'sse');
const client = new UniversalMcpClient();
await Promise.all([
  client.addServer({ name: 'notes', command: process.execPath, args: [exampleServerPath('notes-server'), 'stdio'] }),
  client.addServer({ name: 'units', type: 'http', url: units.url }),
  client.addServer({ name: 'archive', type: 'sse', url: archive.url }),
]);
const openai = new OpenAI({ apiKey: process.env.OPENAI_API_KEY ?? 'not-needed', baseURL: process.env.OPENAI_BASE_URL });
const agent = new Agent({
  model: openAiChat(openai, { model: process.env.MODEL ?? 'gpt-4.1' }),
  toolset: createToolset(client),
});
for await (const event of agent.run(question)) {
  if (event.type === 'text-delta') process.stdout.write(event.text);
  if (event.type === 'tool-call') console.error(`\n→ ${event.server}.${event.tool} ${JSON.stringify(event.call.args)}`);
  if (event.type === 'error') console.error(`\nfailed: ${String(event.error)}`);
}
process.stdout.write('\n');
await client.close();
await Promise.all([units.stop(), archive.stop()]);
