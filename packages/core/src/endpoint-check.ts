import type { FetchLike } from '@modelcontextprotocol/client';
import { ErrorCode, UniversalMcpError, boundText } from './errors.js';

/** Statuses the SDK answers itself (the auth flows): their body, HTML or not, is not ours to judge. */
const AUTH_STATUSES = new Set([401, 403]);
/** How much of an HTML page is read to say what it says (its title and first words); the rest is dropped. */
const MAX_PAGE_BYTES = 64 * 1024;
/** How much of an event stream is looked at for its first event. */
const MAX_PEEK_BYTES = 4096;

/**
 * An HTML page as a line of text: the title, else the text without tags, scripts or styles, bounded.
 * Raw HTML in an error message is markup nobody reads.
 */
export function htmlText(html: string, max = 200): string {
  const page = html.slice(0, MAX_PAGE_BYTES);
  const title = /<title[^>]*>([^<]*)<\/title>/i.exec(page)?.[1]?.trim();
  const body = page
    .replace(/<(script|style|head)\b[^]*?<\/\1\s*>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&(?:nbsp|#160);/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');
  const text = boundText(body, max);
  // An error page's title is often the bare word "Error"; its body says which.
  return title === undefined || title === '' || /^error$/i.test(title) || text.includes(title)
    ? text
    : boundText(`${title}: ${text}`, max);
}

/** What to tell someone whose Streamable HTTP URL is not one, and the type that would fit. */
function wrongEndpoint(url: URL, what: string, legacy: boolean): UniversalMcpError {
  const looksLegacy = legacy || /\/sse\/?$/.test(url.pathname);
  const advice = looksLegacy
    ? 'this is a legacy HTTP+SSE endpoint: set "type": "sse" for this server'
    : 'check the URL (often …/mcp); a legacy HTTP+SSE server (…/sse) wants "type": "sse"';
  return new UniversalMcpError(
    ErrorCode.CONNECT_FAILED,
    `${url.origin}${url.pathname} is not a Streamable HTTP endpoint: ${what}; ${advice}`,
  );
}

/** A body's first `max` bytes as text; the rest is not read. */
async function head(res: Response, max: number): Promise<string> {
  if (res.body === null) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  try {
    while (bytes < max) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      bytes += value.length;
    }
  } finally {
    // Only the first bytes were wanted: a cancel that fails leaves nothing to read.
    void reader.cancel().catch(() => undefined);
  }
  return Buffer.concat(chunks).subarray(0, max).toString('utf8');
}

/**
 * Reads an event stream up to the end of its first event (or {@link MAX_PEEK_BYTES}); returns that
 * text and the stream again, whole, for whoever reads it next.
 */
async function peekFirstEvent(res: Response): Promise<{ first: string; res: Response }> {
  const body = res.body;
  if (body === null) return { first: '', res };
  const reader = body.getReader();
  const seen: Uint8Array[] = [];
  let text = '';
  while (text.length < MAX_PEEK_BYTES && !/\r?\n\r?\n/.test(text)) {
    const { done, value } = await reader.read();
    if (done) break;
    seen.push(value);
    text += Buffer.from(value).toString('utf8');
  }
  const again = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of seen) controller.enqueue(chunk);
    },
    async pull(controller) {
      const { done, value } = await reader.read();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    cancel: (reason) => reader.cancel(reason),
  });
  return {
    first: text.split(/\r?\n\r?\n/)[0] ?? '',
    res: new Response(again, { status: res.status, statusText: res.statusText, headers: res.headers }),
  };
}

function sameEndpoint(input: string | URL, url: URL): boolean {
  const target = input instanceof URL ? input : URL.canParse(input) ? new URL(input) : undefined;
  return target !== undefined && target.origin === url.origin && target.pathname === url.pathname;
}

const isInitialize = (init: RequestInit | undefined): boolean =>
  typeof init?.body === 'string' && /"method"\s*:\s*"initialize"/.test(init.body);

/** The POSTs that open a connection: `initialize`, or the 2026-07-28 probe `server/discover`. */
const isHandshake = (init: RequestInit | undefined): boolean =>
  typeof init?.body === 'string' && /"method"\s*:\s*"(?:initialize|server\/discover)"/.test(init.body);

/**
 * The fetch a Streamable HTTP transport is given, wrapped to recognise a URL that is not a Streamable
 * HTTP endpoint — most often a legacy HTTP+SSE one — and fail its POST with `CONNECT_FAILED` saying
 * so and which `"type"` fits, instead of the SDK's raw error page or a handshake that waits until it
 * times out: an HTML page in answer to any POST; a 404 or 405 to `initialize`; an event stream whose
 * first event is a legacy `endpoint` event (to `initialize` or to the
 * `server/discover` probe). Anything else passes through unchanged.
 */
export function checkStreamableEndpoint(fetch: FetchLike, url: URL): FetchLike {
  return async (input, init) => {
    const res = await fetch(input, init);
    // Only the endpoint's own POSTs: the same fetch carries the OAuth requests to other URLs.
    if (init?.method !== 'POST' || AUTH_STATUSES.has(res.status) || !sameEndpoint(input, url)) return res;
    const type = (res.headers.get('content-type') ?? '').toLowerCase();
    if (type.startsWith('text/html')) {
      const page = htmlText(await head(res, MAX_PAGE_BYTES));
      throw wrongEndpoint(
        url,
        `it answered with an HTML page (HTTP ${res.status}${page === '' ? '' : `: ${page}`})`,
        false,
      );
    }
    if (!isHandshake(init)) return res;
    // A 2025 server may answer the probe with 404/405 before it takes `initialize`: only that one tells.
    if (isInitialize(init) && (res.status === 404 || res.status === 405)) {
      const text = boundText(await head(res, MAX_PAGE_BYTES));
      throw wrongEndpoint(
        url,
        `it answered the initialize POST with HTTP ${res.status}${text === '' ? '' : ` (${text})`}`,
        false,
      );
    }
    if (!res.ok || !type.startsWith('text/event-stream')) return res;
    const peeked = await peekFirstEvent(res);
    if (/^event:\s*endpoint\s*$/m.test(peeked.first)) {
      // The endpoint event was all we needed: the rest of the stream is unwanted.
      void peeked.res.body?.cancel().catch(() => undefined);
      throw wrongEndpoint(url, 'it answered with a legacy SSE stream (an "endpoint" event)', true);
    }
    return peeked.res;
  };
}
