import { GatewayError, GatewayErrorCode } from './gateway-errors.js';
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { parseJSONRPCMessage, type JSONRPCMessage, type Transport } from '@modelcontextprotocol/server';
import { refuse } from './http-refusal.js';

/** Serves one legacy session on a transport (the gateway's 2025-era session server). */
export type SessionStarter = (transport: Transport) => Promise<void>;

/**
 * One legacy HTTP+SSE session (protocol 2024-11-05): the server's messages go out as `message`
 * events on the GET response's stream; the client's come in by POST. (SDK v2 has no server side
 * of this transport; it is small.)
 */
class SseSessionTransport implements Transport {
  readonly sessionId = randomUUID();
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  readonly #res: ServerResponse;
  readonly #endpoint: string;
  #closed = false;

  constructor(res: ServerResponse, messagesPath: string) {
    this.#res = res;
    this.#endpoint = `${messagesPath}?sessionId=${this.sessionId}`;
  }

  start(): Promise<void> {
    this.#res.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
    });
    this.#res.write(`event: endpoint\ndata: ${this.#endpoint}\n\n`);
    this.#res.once('close', () => this.#ended());
    return Promise.resolve();
  }

  /** A POSTed message: passed on, or a 400 when it is not JSON-RPC. */
  receive(res: ServerResponse, body: unknown): void {
    let message: JSONRPCMessage;
    try {
      message = parseJSONRPCMessage(body);
    } catch {
      res.writeHead(400, { 'content-type': 'text/plain' }).end('Not a JSON-RPC message');
      return;
    }
    res.writeHead(202, { 'content-type': 'text/plain' }).end('Accepted');
    this.onmessage?.(message);
  }

  send(message: JSONRPCMessage): Promise<void> {
    if (this.#closed)
      return Promise.reject(new GatewayError(GatewayErrorCode.STREAM_CLOSED, 'The SSE stream is closed'));
    this.#res.write(`event: message\ndata: ${JSON.stringify(message)}\n\n`);
    return Promise.resolve();
  }

  close(): Promise<void> {
    this.#res.end();
    this.#ended();
    return Promise.resolve();
  }

  #ended(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.onclose?.();
  }
}

/**
 * The legacy HTTP+SSE transport (protocol 2024-11-05) for old clients: `GET <sse>` opens a
 * session's stream, whose first event names `<messages>?sessionId=…` for the client's POSTs.
 * A session lives as long as its stream. Authentication, Host/Origin checks and body limits are
 * the listener's, as for Streamable HTTP. At most `max` streams are open at once.
 */
export class LegacySseSessions {
  readonly #start: SessionStarter;
  readonly #messagesPath: string;
  readonly #max: number;
  readonly #sessions = new Map<string, SseSessionTransport>();

  constructor(start: SessionStarter, messagesPath: string, max: number) {
    this.#start = start;
    this.#messagesPath = messagesPath;
    this.#max = max;
  }

  /** `GET <sse>`: a new session on this response's stream (429 when `max` are open). */
  async open(res: ServerResponse): Promise<void> {
    if (this.#sessions.size >= this.#max)
      return refuse(res, 429, `Too many SSE streams (${this.#max}): close one first`);
    const transport = new SseSessionTransport(res, this.#messagesPath);
    this.#sessions.set(transport.sessionId, transport);
    // However the stream ends (the SDK wraps onclose as it connects), the session leaves the map.
    res.once('close', () => this.#sessions.delete(transport.sessionId));
    await this.#start(transport);
  }

  /** `POST <messages>?sessionId=…`: one message for that session. */
  post(res: ServerResponse, url: URL, body: unknown): void {
    const transport = this.#sessions.get(url.searchParams.get('sessionId') ?? '');
    if (transport === undefined) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Session not found');
      return;
    }
    transport.receive(res, body);
  }

  async close(): Promise<void> {
    // Closing ends each response: one that fails to end is already gone.
    await Promise.all([...this.#sessions.values()].map((t) => t.close().catch(() => undefined)));
    this.#sessions.clear();
  }
}
