// What the logger tests share: a logger that keeps its lines, and a raw HTTP request a listener's
// handler cannot parse (so the failure it logs is cheap to provoke).
import { connect } from 'node:net';
import type { Logger } from '@universal-mcp/core';

/** One line a {@link collectingLogger} was given. */
export interface LogLine {
  readonly level: string;
  readonly obj: object;
  readonly msg: string;
}

/** A logger that keeps every line it is given, in `lines`. */
export function collectingLogger(): { logger: Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const at =
    (level: string) =>
    (obj: object, msg: string): void =>
      void lines.push({ level, obj, msg });
  return { logger: { error: at('error'), warn: at('warn'), info: at('info'), debug: at('debug') }, lines };
}

/**
 * What a `GET http://[` (an absolute-form target Node passes on but the WHATWG URL parser refuses)
 * to 127.0.0.1:`port` gets back; the connection is closed after it.
 */
export function unparsableUrlRequest(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () =>
      socket.write(`GET http://[ HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`),
    );
    let out = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (out += chunk));
    socket.on('error', reject);
    socket.on('close', () => resolve(out));
  });
}
