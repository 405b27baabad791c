import type http from 'node:http';

// Reading an HTTP answer's body off the socket, bounded: a JSON answer up to the message limit,
// an error page to its first few kilobytes.

/** How much of an error page is kept (the rest is counted, not kept). */
const MAX_ERROR_TEXT = 4096;

/** A body as text, up to `max` bytes; past it the read stops and rejects with `{ tooLarge: bytes }`. */
export function readText(res: http.IncomingMessage, max: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    res.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > max) {
        reject(Object.assign(new Error(`answer over the ${max}-byte limit`), { tooLarge: bytes }));
        res.destroy(); // after settling: destroy() emits 'aborted' at once
        return;
      }
      chunks.push(chunk);
    });
    res.once('end', () => resolve((chunks.length === 1 ? chunks[0] : Buffer.concat(chunks))?.toString('utf8') ?? ''));
    res.once('error', reject);
    res.once('aborted', () => reject(new Error('the server closed the response')));
  });
}

/** True when `text` is a JSON-RPC error response to request `id`. */
export function isErrorFor(text: string, id: number | string): boolean {
  try {
    const body = JSON.parse(text) as { id?: unknown; error?: { code?: unknown } } | null;
    return body?.id === id && typeof body.error?.code === 'number';
  } catch {
    return false;
  }
}

/** An error page's text: its first {@link MAX_ERROR_TEXT} bytes, and how many more there were. */
export function errorText(res: http.IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const kept: Buffer[] = [];
    let bytes = 0;
    res.on('data', (chunk: Buffer) => {
      if (bytes < MAX_ERROR_TEXT) kept.push(chunk);
      bytes += chunk.length;
    });
    const done = (): void => {
      const head = Buffer.concat(kept).subarray(0, MAX_ERROR_TEXT).toString('utf8');
      resolve(bytes > MAX_ERROR_TEXT ? `${head}… (+${bytes - MAX_ERROR_TEXT} more characters)` : head);
    };
    res.once('end', done);
    res.once('error', done);
    res.once('aborted', done);
  });
}
