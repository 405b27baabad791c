import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

// A stand-in for the model providers: no model can run here, so this local server plays scripted
// turns in each API's own wire format — OpenAI Chat Completions and Responses, Anthropic Messages —
// streamed as server-sent events as the real APIs send them, for the official SDK clients
// (openai, @anthropic-ai/sdk, and the AI SDK's providers) to talk to over real HTTP.

/** One scripted model turn. */
export type Turn =
  | {
      /** Text streamed in small pieces. */
      readonly text?: string;
      /** Thinking streamed before the text (Chat Completions only, as `reasoning_content`). */
      readonly reasoning?: string;
      /** Tool calls, after the text. */
      readonly toolCalls?: readonly { readonly name: string; readonly args: unknown }[];
      readonly usage?: { readonly input: number; readonly output: number };
      /** Milliseconds between streamed pieces. */
      readonly pieceDelayMs?: number;
      /** Stop after the first text piece and keep the stream open (for an abort). */
      readonly hang?: boolean;
    }
  | { readonly status: number; readonly retryAfter?: string };

/** A request the provider received. */
export interface Received {
  readonly path: string;
  readonly body: Record<string, unknown>;
}

export interface ScriptedProvider {
  /** e.g. http://127.0.0.1:1234/v1 — the `baseURL` for the SDK clients. */
  readonly baseURL: string;
  readonly received: Received[];
  /** Queues turns; each request takes the next one (no turn left: "done."). */
  script(...turns: Turn[]): void;
  /** Streams still open (a hung turn). */
  openStreams(): number;
  close(): Promise<void>;
}

const pieces = (text: string): string[] => text.match(/.{1,4}/gs) ?? [];

export async function startScriptedProvider(): Promise<ScriptedProvider> {
  const queue: Turn[] = [];
  const received: Received[] = [];
  const sockets = new Set<Socket>();
  let open = 0;
  let callCount = 0;

  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (d: Buffer) => (raw += d.toString()));
    req.on('end', () => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      const body = raw === '' ? {} : (JSON.parse(raw) as Record<string, unknown>);
      received.push({ path, body });
      const turn = queue.shift() ?? { text: 'done.' };
      if ('status' in turn) {
        res.writeHead(turn.status, {
          'content-type': 'application/json',
          ...(turn.retryAfter === undefined ? {} : { 'retry-after': turn.retryAfter }),
        });
        const error = {
          type: turn.status === 429 ? 'rate_limit_error' : 'api_error',
          message: `scripted ${turn.status}`,
        };
        res.end(
          JSON.stringify(
            path.endsWith('/messages') ? { type: 'error', error } : { error: { ...error, code: null, param: null } },
          ),
        );
        return;
      }
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      open += 1;
      res.on('close', () => (open -= 1));
      const calls = (turn.toolCalls ?? []).map((c) => ({ ...c, id: `call_${++callCount}` }));
      const play = path.endsWith('/chat/completions')
        ? chatEvents
        : path.endsWith('/responses')
          ? responsesEvents
          : anthropicEvents;
      void stream(res, play(turn, calls), turn);
    });
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    received,
    script: (...turns) => queue.push(...turns),
    openStreams: () => open,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

type Sse = { event?: string; data: unknown } | 'hang';

const data = (d: unknown): string => (typeof d === 'string' ? d : JSON.stringify(d));

async function stream(res: http.ServerResponse, events: Sse[], turn: Extract<Turn, { text?: string }>): Promise<void> {
  for (const e of events) {
    if (e === 'hang') return; // the stream stays open until the client goes
    if (res.destroyed) return;
    res.write(`${e.event === undefined ? '' : `event: ${e.event}\n`}data: ${data(e.data)}\n\n`);
    if (turn.pieceDelayMs !== undefined) await new Promise((r) => setTimeout(r, turn.pieceDelayMs));
  }
  res.end();
}

interface Call {
  name: string;
  args: unknown;
  id: string;
}

function chatEvents(turn: Extract<Turn, { text?: string }>, calls: Call[]): Sse[] {
  const base = { id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1, model: 'scripted' };
  const chunk = (delta: Record<string, unknown>, finish: string | null = null): Sse => ({
    data: { ...base, choices: [{ index: 0, delta, finish_reason: finish }] },
  });
  const out: Sse[] = [chunk({ role: 'assistant', content: '' })];
  for (const p of pieces(turn.reasoning ?? '')) out.push(chunk({ reasoning_content: p }));
  for (const [i, p] of pieces(turn.text ?? '').entries()) {
    out.push(chunk({ content: p }));
    if (i === 0 && turn.hang === true) return [...out, 'hang'];
  }
  calls.forEach((c, index) => {
    const args = JSON.stringify(c.args);
    out.push(chunk({ tool_calls: [{ index, id: c.id, type: 'function', function: { name: c.name, arguments: '' } }] }));
    for (const p of args.match(/.{1,8}/gs) ?? [])
      out.push(chunk({ tool_calls: [{ index, function: { arguments: p } }] }));
  });
  out.push(chunk({}, calls.length > 0 ? 'tool_calls' : 'stop'));
  const usage = turn.usage ?? { input: 10, output: 5 };
  out.push({
    data: {
      ...base,
      choices: [],
      usage: { prompt_tokens: usage.input, completion_tokens: usage.output, total_tokens: usage.input + usage.output },
    },
  });
  out.push({ data: '[DONE]' });
  return out;
}

function responsesEvents(turn: Extract<Turn, { text?: string }>, calls: Call[]): Sse[] {
  let seq = 0;
  const ev = (type: string, data: Record<string, unknown>): Sse => ({
    event: type,
    data: { type, sequence_number: seq++, ...data },
  });
  const response = {
    id: 'resp_1',
    object: 'response',
    created_at: 1,
    model: 'scripted',
    status: 'in_progress',
    output: [],
  };
  const out: Sse[] = [ev('response.created', { response }), ev('response.in_progress', { response })];
  const output: Record<string, unknown>[] = [];
  const text = turn.text ?? '';
  if (text !== '') {
    const item = { id: 'msg_1', type: 'message', role: 'assistant', status: 'in_progress', content: [] };
    out.push(ev('response.output_item.added', { output_index: 0, item }));
    out.push(
      ev('response.content_part.added', {
        item_id: 'msg_1',
        output_index: 0,
        content_index: 0,
        part: { type: 'output_text', text: '', annotations: [] },
      }),
    );
    for (const [i, p] of pieces(text).entries()) {
      out.push(
        ev('response.output_text.delta', {
          item_id: 'msg_1',
          output_index: 0,
          content_index: 0,
          delta: p,
          logprobs: [],
        }),
      );
      if (i === 0 && turn.hang === true) return [...out, 'hang'];
    }
    out.push(
      ev('response.output_text.done', { item_id: 'msg_1', output_index: 0, content_index: 0, text, logprobs: [] }),
    );
    const done = { ...item, status: 'completed', content: [{ type: 'output_text', text, annotations: [] }] };
    out.push(ev('response.output_item.done', { output_index: 0, item: done }));
    output.push(done);
  }
  for (const c of calls) {
    const index = output.length;
    const args = JSON.stringify(c.args);
    const item = {
      id: `fc_${c.id}`,
      type: 'function_call',
      call_id: c.id,
      name: c.name,
      arguments: '',
      status: 'in_progress',
    };
    out.push(ev('response.output_item.added', { output_index: index, item }));
    for (const p of args.match(/.{1,8}/gs) ?? [])
      out.push(ev('response.function_call_arguments.delta', { item_id: item.id, output_index: index, delta: p }));
    out.push(ev('response.function_call_arguments.done', { item_id: item.id, output_index: index, arguments: args }));
    const done = { ...item, arguments: args, status: 'completed' };
    out.push(ev('response.output_item.done', { output_index: index, item: done }));
    output.push(done);
  }
  const usage = turn.usage ?? { input: 10, output: 5 };
  out.push(
    ev('response.completed', {
      response: {
        ...response,
        status: 'completed',
        output,
        usage: { input_tokens: usage.input, output_tokens: usage.output, total_tokens: usage.input + usage.output },
      },
    }),
  );
  return out;
}

function anthropicEvents(turn: Extract<Turn, { text?: string }>, calls: Call[]): Sse[] {
  const usage = turn.usage ?? { input: 10, output: 5 };
  const ev = (type: string, data: Record<string, unknown>): Sse => ({ event: type, data: { type, ...data } });
  const out: Sse[] = [
    ev('message_start', {
      message: {
        id: 'msg_1',
        type: 'message',
        role: 'assistant',
        model: 'scripted',
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { input_tokens: usage.input, output_tokens: 1 },
      },
    }),
  ];
  let index = 0;
  const text = turn.text ?? '';
  if (text !== '') {
    out.push(ev('content_block_start', { index, content_block: { type: 'text', text: '' } }));
    for (const [i, p] of pieces(text).entries()) {
      out.push(ev('content_block_delta', { index, delta: { type: 'text_delta', text: p } }));
      if (i === 0 && turn.hang === true) return [...out, 'hang'];
    }
    out.push(ev('content_block_stop', { index }));
    index += 1;
  }
  for (const c of calls) {
    out.push(
      ev('content_block_start', { index, content_block: { type: 'tool_use', id: c.id, name: c.name, input: {} } }),
    );
    for (const p of JSON.stringify(c.args).match(/.{1,8}/gs) ?? [])
      out.push(ev('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: p } }));
    out.push(ev('content_block_stop', { index }));
    index += 1;
  }
  out.push(
    ev('message_delta', {
      delta: { stop_reason: calls.length > 0 ? 'tool_use' : 'end_turn', stop_sequence: null },
      usage: { output_tokens: usage.output },
    }),
  );
  out.push(ev('message_stop', {}));
  return out;
}
