// The dashboard's chat wired to the scripted provider (test/helpers/scripted-provider.ts) through the
// official `openai` client, as `umcp dashboard --provider openai --base-url …` wires a real one.
import OpenAI from 'openai';
import { createDashboard, type ChatProvider, type Dashboard } from '@universal-mcp/dashboard';
import { openAiChat } from '@universal-mcp/llm';
import type { UniversalMcpClient } from '@universal-mcp/supervisor';
import type { ScriptedProvider } from './scripted-provider.js';

/** The chat provider `scripted`, its models answered by `provider`. */
export function scriptedChat(
  provider: ScriptedProvider,
  { models = ['scripted-1'], apiKey = 'sk-test-unused' }: { models?: string[]; apiKey?: string } = {},
): ChatProvider {
  return {
    name: 'scripted',
    models,
    model: (model) => openAiChat(new OpenAI({ apiKey, baseURL: provider.baseURL, maxRetries: 0 }), { model }),
  };
}

/** A dashboard on a free port over `client`, its history and chat kept in `dir`, its chat `providers`. */
export function chatDashboard(client: UniversalMcpClient, dir: string, providers: ChatProvider[]): Promise<Dashboard> {
  return createDashboard(client, { port: 0, history: { dir }, chat: { providers, dir } });
}

/** Closes each in turn (the browser first, the servers last), skipping what never started. */
export async function closeInOrder(...things: ({ close(): Promise<unknown> } | undefined)[]): Promise<void> {
  for (const thing of things) await thing?.close();
}
