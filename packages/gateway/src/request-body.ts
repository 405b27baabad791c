import type { IncomingMessage, ServerResponse } from 'node:http';
import { refuseOversized } from './http-refusal.js';

/**
 * The request's body, up to `limit` bytes; undefined (and 413 sent, see {@link refuseOversized})
 * past it, whether the length was declared or the body came chunked.
 */
export function readBody(req: IncomingMessage, res: ServerResponse, limit: number): Promise<Buffer | undefined> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (declared > limit) {
    refuseOversized(req, res, limit);
    return Promise.resolve(undefined);
  }
  // Events rather than `for await`: leaving that loop destroys the request, and with it the socket
  // the 413 is still being written to.
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = (): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size <= limit) return void chunks.push(chunk);
      stop();
      refuseOversized(req, res, limit);
      resolve(undefined);
    };
    const onEnd = (): void => {
      stop();
      resolve(Buffer.concat(chunks));
    };
    const onError = (err: Error): void => {
      stop();
      reject(err);
    };
    // The client went away mid-body: nobody to answer.
    const onClose = (): void => {
      stop();
      resolve(undefined);
    };
    req.on('data', onData);
    req.once('end', onEnd);
    req.once('error', onError);
    req.once('close', onClose);
  });
}
