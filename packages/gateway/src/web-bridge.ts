import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * A Node request as a Web `Request` for the SDK's web-standard transport: method, URL, headers
 * and, when given, the signal that says its client went away. The body is not carried: the
 * listener has read and parsed it already (`parsedBody`).
 */
export function toWebRequest(req: IncomingMessage, url: URL, signal?: AbortSignal): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else headers.set(name, value);
  }
  return new Request(url, { method: req.method ?? 'GET', headers, ...(signal === undefined ? {} : { signal }) });
}

/**
 * Writes a Web `Response` to a Node response: the headers at once (an SSE stream's client learns
 * of it before its first event), then every chunk as it comes, with backpressure; the stream is
 * cancelled when the client goes away. (The SDK's Node wrapper waits a timer tick for a second
 * chunk before it sends anything, which costs a streamed answer a millisecond or more.)
 */
export async function sendWebResponse(res: ServerResponse, response: Response): Promise<void> {
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) headers['set-cookie'] = cookies;
  res.writeHead(response.status, headers);
  if (response.body === null) {
    res.end();
    return;
  }
  // The headers go now (an SSE client learns of its stream before its first event), but in one
  // write with what the stream has ready in this tick (a JSON answer, an SSE priming event): a
  // write per part costs a syscall and a wake-up of the client each.
  const socket = res.socket;
  socket?.cork();
  res.flushHeaders();
  process.nextTick(() => socket?.uncork());
  const reader = response.body.getReader();
  // The client went away: the body's cancel failing only means the upstream stream already ended.
  const gone = (): void => void reader.cancel().catch(() => undefined);
  res.once('close', gone);
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (!res.write(value))
        await new Promise<void>((resolve) => {
          res.once('drain', resolve);
          res.once('close', resolve);
        });
    }
    res.end();
  } catch {
    // The stream failed or was cancelled: nothing more to send.
    res.destroy();
  } finally {
    res.off('close', gone);
  }
}
