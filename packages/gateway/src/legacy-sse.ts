import type { IncomingMessage, ServerResponse } from 'node:http';
import { SSEServerTransport } from '@modelcontextprotocol/sdk/server/sse.js';
import type { Gateway } from './gateway.js';
import { refuse } from './http-refusal.js';

/**
 * The legacy HTTP+SSE transport (protocol 2024-11-05) for old clients: `GET <sse>` opens a
 * session's stream, whose first event names `<messages>?sessionId=…` for the client's POSTs.
 * A session lives as long as its stream. Authentication, Host/Origin checks and body limits are
 * the listener's, as for Streamable HTTP. At most `max` streams are open at once.
 */
export class LegacySseSessions {
  readonly #gateway: Gateway;
  readonly #messagesPath: string;
  readonly #max: number;
  readonly #sessions = new Map<string, SSEServerTransport>();

  constructor(gateway: Gateway, messagesPath: string, max: number) {
    this.#gateway = gateway;
    this.#messagesPath = messagesPath;
    this.#max = max;
  }

  /** `GET <sse>`: a new session on this response's stream (429 when `max` are open). */
  async open(res: ServerResponse): Promise<void> {
    if (this.#sessions.size >= this.#max)
      return refuse(res, 429, `Too many SSE streams (${this.#max}): close one first`);
    const transport = new SSEServerTransport(this.#messagesPath, res);
    this.#sessions.set(transport.sessionId, transport);
    transport.onclose = () => this.#sessions.delete(transport.sessionId);
    await this.#gateway.createSession().connect(transport);
  }

  /** `POST <messages>?sessionId=…`: one message for that session. */
  async post(req: IncomingMessage, res: ServerResponse, url: URL, body: unknown): Promise<void> {
    const transport = this.#sessions.get(url.searchParams.get('sessionId') ?? '');
    if (transport === undefined) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Session not found');
      return;
    }
    await transport.handlePostMessage(req, res, body);
  }

  async close(): Promise<void> {
    await Promise.all([...this.#sessions.values()].map((t) => t.close().catch(() => undefined)));
    this.#sessions.clear();
  }
}
