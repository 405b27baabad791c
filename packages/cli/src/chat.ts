import { createInterface } from 'node:readline';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { jsonText } from '@universal-mcp/core/internal';
import {
  Agent,
  RunAbortedError,
  anthropicMessages,
  createToolset,
  openAiChat,
  openAiResponses,
  outcomeText,
  type ChatMessage,
  type ModelAdapter,
} from '@universal-mcp/llm';
import { describeNetworkError } from '@universal-mcp/core/internal';
import type { UniversalMcpClient } from '@universal-mcp/supervisor';
import { approvalAnswer, approvalPrompt } from './approval-prompt.js';
import type { CliArgs } from './cli-args.js';
import { ExitCode, UsageError } from './exit-codes.js';
import { clip } from './render.js';

/** What a tool call's line shows of its arguments (a model chooses them). */
const CALL_LINE = { maxDepth: 32, maxChars: 4096 } as const;

/** Where `umcp chat` reads and writes. */
export interface ChatIo {
  readonly input: NodeJS.ReadableStream;
  out(text: string): void;
  err(text: string): void;
}

/** The provider types the command line and the config's `chat` key take. */
export const PROVIDERS = ['openai', 'openai-responses', 'anthropic'] as const;

/** The APIs a provider can speak. */
export type ProviderType = (typeof PROVIDERS)[number];

/** Whether `name` is one of {@link PROVIDERS}. */
export function isProviderType(name: unknown): name is ProviderType {
  return (PROVIDERS as readonly unknown[]).includes(name);
}

/** The model the command line asks for, with its key from the environment; says exactly what is missing. */
export function modelFromArgs(args: CliArgs, env: NodeJS.ProcessEnv = process.env): ModelAdapter {
  const provider = args.provider;
  if (!isProviderType(provider)) {
    throw new UsageError(
      `umcp chat needs --provider ${PROVIDERS.join(' | ')}${provider === undefined ? '' : ` (got "${provider}")`}`,
    );
  }
  if (args.model === undefined)
    throw new UsageError('umcp chat needs --model <model>, e.g. --model gpt-4.1 or --model claude-sonnet-4-5');
  return makeModel(provider, args.model, apiKeyFor(provider, args.baseUrl, env, 'umcp chat'), args.baseUrl);
}

/** The key a provider needs, from `variable` (or its default), or a clear error; none needed for another base URL. */
export function apiKeyFor(
  type: ProviderType,
  baseUrl: string | undefined,
  env: NodeJS.ProcessEnv,
  who: string,
  variable?: string,
): string {
  const keyVar = variable ?? (type === 'anthropic' ? 'ANTHROPIC_API_KEY' : 'OPENAI_API_KEY');
  const key = env[keyVar];
  if (key !== undefined && key !== '') return key;
  if (baseUrl !== undefined) return 'not-needed';
  throw new UsageError(
    `${who} --provider ${type} needs ${keyVar} in the environment` +
      (type === 'anthropic'
        ? ''
        : ', or --base-url for a local OpenAI-compatible server (Ollama: --base-url http://127.0.0.1:11434/v1)'),
  );
}

/** A model adapter over the official SDK client of its API. */
export function makeModel(
  type: ProviderType,
  model: string,
  apiKey: string,
  baseUrl: string | undefined,
): ModelAdapter {
  if (type === 'anthropic') {
    const client = new Anthropic({ apiKey, ...(baseUrl === undefined ? {} : { baseURL: baseUrl }) });
    return anthropicMessages(client, { model });
  }
  const client = new OpenAI({ apiKey, ...(baseUrl === undefined ? {} : { baseURL: baseUrl }) });
  return type === 'openai' ? openAiChat(client, { model }) : openAiResponses(client, { model });
}

/** Where a provider type's SDK sends requests unless `--base-url` says otherwise. */
const DEFAULT_BASE_URL: Record<ProviderType, string> = {
  openai: 'https://api.openai.com/v1',
  'openai-responses': 'https://api.openai.com/v1',
  anthropic: 'https://api.anthropic.com',
};

/**
 * A line naming where and why, when `err` says the provider could not be reached at all (refused, no such host,
 * timed out): the SDKs themselves say only "Connection error.".
 */
export function unreachableProvider(err: unknown, type: ProviderType, baseUrl: string | undefined): string | undefined {
  if (!(err instanceof OpenAI.APIConnectionError) && !(err instanceof Anthropic.APIConnectionError)) return undefined;
  const timedOut =
    err instanceof OpenAI.APIConnectionTimeoutError || err instanceof Anthropic.APIConnectionTimeoutError;
  const why = describeNetworkError(err) ?? (timedOut ? 'timed out' : err.message);
  return `cannot reach the ${type} provider at ${baseUrl ?? DEFAULT_BASE_URL[type]}: ${why}`;
}

/** One line for a tool result: its first line, cut at 120 characters. */
function oneLine(text: string): string {
  const first = text.split('\n').find((l) => l.trim() !== '') ?? '';
  return clip(first, 120);
}

/**
 * `umcp chat`: a conversation in the terminal. Reads a message a line; streams the answer; shows
 * each tool call and its result in a line; asks before each call the tool policy says needs approval
 * (every call to an untrusted server's tool, by default), showing the server, the arguments, whether
 * the server is trusted, its own hints and the tool's pending change; `a` approves that tool for the
 * rest of the conversation.
 */
export async function chat(
  client: UniversalMcpClient,
  args: CliArgs,
  io: ChatIo,
  model: ModelAdapter,
): Promise<number> {
  const toolset = createToolset(client);
  const lines = createInterface({ input: io.input, terminal: false });
  const queue: string[] = [];
  let ended = false;
  let wake: (() => void) | undefined;
  lines.on('line', (line) => {
    queue.push(line);
    wake?.();
  });
  lines.on('close', () => {
    ended = true;
    wake?.();
  });
  const nextLine = async (): Promise<string | undefined> => {
    while (queue.length === 0 && !ended) await new Promise<void>((r) => (wake = r));
    return queue.shift();
  };
  let running: AbortController | undefined;
  const onSigint = (): void => {
    if (running !== undefined) running.abort();
    else lines.close();
  };
  process.on('SIGINT', onSigint);
  const agent = new Agent({
    model,
    toolset,
    approve: args.yes
      ? undefined
      : async (request) => {
          io.err(approvalPrompt(request));
          return approvalAnswer(await nextLine());
        },
  });
  let history: ChatMessage[] = [];
  try {
    io.err(
      `umcp chat: ${toolset.list().length} tools from ${client.listServers().length} servers. Ctrl-D or /exit ends.`,
    );
    const flagged = toolset.list().filter((t) => t.change !== undefined).length;
    if (flagged > 0)
      io.err(
        `umcp chat: ${flagged === 1 ? '1 tool' : `${flagged} tools`} changed since pinned ` +
          '(umcp tools --changes shows how)',
      );
    // The tools answered 'a' (always) in this conversation, for as long as it lasts.
    const remembered = new Set<string>();
    for (;;) {
      const line = await nextLine();
      if (line === undefined || line.trim() === '/exit') break;
      if (line.trim() === '') continue;
      running = new AbortController();
      const run = agent.run(line, { signal: running.signal, history, remembered });
      for await (const e of run) {
        if (e.type === 'text-delta') io.out(e.text);
        else if (e.type === 'tool-call')
          io.err(`\n→ ${e.server ?? '?'}.${e.tool ?? e.call.name} ${jsonText(e.call.args, CALL_LINE)}`);
        else if (e.type === 'tool-result') {
          const how = `${e.outcome.isError ? 'error' : 'ok'} (${Math.round(e.durationMs)} ms)`;
          io.err(`← ${how}: ${oneLine(outcomeText(e.outcome))}`);
        } else if (e.type === 'retry') io.err(`(the provider is busy: trying again in ${e.delayMs} ms)`);
      }
      try {
        const result = await run.result;
        history = result.history;
        io.out('\n');
        io.err(`[${result.usage.inputTokens} in, ${result.usage.outputTokens} out]`);
      } catch (err) {
        if (err instanceof RunAbortedError) {
          history = (err as RunAbortedError & { history?: ChatMessage[] }).history ?? history;
          io.err('\n(stopped)');
        } else {
          // A provider that cannot be reached will not answer the next message either: end, and say so in the code.
          const unreachable = isProviderType(args.provider)
            ? unreachableProvider(err, args.provider, args.baseUrl)
            : undefined;
          io.err(`\numcp: ${unreachable ?? (err instanceof Error ? err.message : String(err))}`);
          if (unreachable !== undefined) return ExitCode.UNAVAILABLE;
        }
      }
      running = undefined;
    }
    return ExitCode.OK;
  } finally {
    process.off('SIGINT', onSigint);
    lines.close();
    toolset.close();
  }
}
