import { DashboardError, DashboardErrorCode, invalidInput } from './dashboard-errors.js';
import type { GetPromptResult, UniversalMcpClient } from '@universal-mcp/supervisor';
import { attachmentsOf, checkedImage } from './chat-attachments.js';
import type { ChatAttachment, NewMessage } from './chat-store.js';

/** The most messages one prompt may put into a conversation. */
export const MAX_PROMPT_MESSAGES = 32;
/** The most text of one prompt message, in characters. */
const MAX_PROMPT_TEXT = 256 * 1024;
/** How long a `prompts/get` may take. */
const GET_TIMEOUT_MS = 15_000;

/** A prompt to use, as the page names it: its server, its name and the arguments the user gave. */
export interface PromptRef {
  readonly server: string;
  readonly name: string;
  readonly arguments: Record<string, string>;
}

/** The prompt of a request's body (`{ server, name, arguments? }`); an error saying what is wrong. */
export function promptRef(raw: unknown): PromptRef | undefined {
  if (raw === undefined) return undefined;
  const p = raw as Record<string, unknown> | null;
  if (typeof p?.server !== 'string' || typeof p.name !== 'string')
    throw invalidInput('prompt must be { server, name, arguments? }');
  const args = p.arguments ?? {};
  if (
    typeof args !== 'object' ||
    args === null ||
    Array.isArray(args) ||
    Object.values(args).some((v) => typeof v !== 'string' || v.length > 64 * 1024)
  )
    throw invalidInput('prompt.arguments must be an object of strings');
  return {
    server: p.server,
    name: p.name,
    arguments: Object.fromEntries(Object.entries(args)) as Record<string, string>,
  };
}

/**
 * A prompt's messages as conversation messages, each marked with the prompt (`server/name`). Text
 * is kept, images become image attachments, embedded resources attachments (as an `@` one would);
 * what no model reads (audio, links) is named in words.
 */
export function promptMessages(ref: PromptRef, result: GetPromptResult): NewMessage[] {
  const messages = (result.messages ?? []).slice(0, MAX_PROMPT_MESSAGES);
  return messages.map((m) => {
    const content = m.content as Record<string, unknown>;
    let text = '';
    let attachments: ChatAttachment[] = [];
    if (content.type === 'text' && typeof content.text === 'string') text = content.text.slice(0, MAX_PROMPT_TEXT);
    else if (content.type === 'image') {
      try {
        attachments = [
          { kind: 'image', name: `${ref.name} image`, ...checkedImage(content.mimeType, content.data, ref.name) },
        ];
      } catch (err) {
        text = `[an image the prompt gave was left out: ${(err as Error).message}]`;
      }
    } else if (content.type === 'resource' && typeof content.resource === 'object' && content.resource !== null) {
      const resource = content.resource as { uri?: unknown };
      const uri = typeof resource.uri === 'string' ? resource.uri : '';
      attachments = attachmentsOf({ server: ref.server, uri }, { contents: [resource] } as never);
    } else text = `[${String(content.type)} content from the prompt: not sent to the model]`;
    return {
      role: m.role === 'assistant' ? 'assistant' : 'user',
      content: text,
      prompt: `${ref.server}/${ref.name}`,
      ...(attachments.length === 0 ? {} : { attachments }),
    };
  });
}

/** Gets a prompt through the facade and turns it into conversation messages. */
export async function getPromptMessages(client: UniversalMcpClient, ref: PromptRef): Promise<NewMessage[]> {
  let result: GetPromptResult;
  try {
    result = await client.getPrompt(ref.server, ref.name, ref.arguments, { timeoutMs: GET_TIMEOUT_MS });
  } catch (err) {
    throw new DashboardError(
      DashboardErrorCode.UPSTREAM_FAILED,
      `The prompt ${ref.server}/${ref.name} could not be got: ${(err as Error).message}`,
      { cause: err },
    );
  }
  const messages = promptMessages(ref, result);
  if (messages.length === 0)
    throw new DashboardError(
      DashboardErrorCode.UPSTREAM_FAILED,
      `The prompt ${ref.server}/${ref.name} gave no messages`,
    );
  return messages;
}

/** What the `@` and `/` pickers list: every ready server's resources, templates and prompts (bounded). */
export function chatCatalog(client: UniversalMcpClient) {
  const ready = client.listServers().filter((name) => client.getServerInfo(name)?.state === 'ready');
  const cap = <T>(list: readonly T[] | undefined): T[] => (list ?? []).slice(0, 500);
  const text = (v: unknown, max = 300): string | undefined => (typeof v === 'string' ? v.slice(0, max) : undefined);
  return {
    resources: ready.flatMap((server) =>
      cap(client.listResources(server)).map((r) => ({
        server,
        uri: r.uri,
        name: text(r.title ?? r.name, 200) ?? r.uri,
        description: text(r.description),
        mimeType: text(r.mimeType, 100),
      })),
    ),
    templates: ready.flatMap((server) =>
      cap(client.listResourceTemplates(server)).map((t) => ({
        server,
        uriTemplate: t.uriTemplate,
        name: text(t.title ?? t.name, 200) ?? t.uriTemplate,
        description: text(t.description),
      })),
    ),
    prompts: ready.flatMap((server) =>
      cap(client.listPrompts(server)).map((p) => ({
        server,
        name: p.name,
        title: text(p.title, 200),
        description: text(p.description),
        arguments: (p.arguments ?? []).slice(0, 32).map((a) => ({
          name: a.name,
          description: text(a.description),
          required: a.required === true,
        })),
      })),
    ),
  };
}
