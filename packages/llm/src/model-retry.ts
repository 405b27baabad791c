/**
 * The delay before another try of a failed model turn: 429 and 5xx only, after `retry-after` (seconds or a date)
 * or a doubling backoff; `undefined` when it is not worth another try.
 */
export function retryDelay(err: unknown, attempt: number): number | undefined {
  const e = err as { status?: unknown; statusCode?: unknown; headers?: unknown; responseHeaders?: unknown } | undefined;
  const status =
    typeof e?.status === 'number' ? e.status : typeof e?.statusCode === 'number' ? e.statusCode : undefined;
  if (status === undefined || !(status === 429 || status >= 500)) return undefined;
  const headers = (e?.headers ?? e?.responseHeaders) as
    { get?: (k: string) => string | null } | Record<string, string> | undefined;
  const raw =
    typeof headers?.get === 'function'
      ? headers.get('retry-after')
      : (headers as Record<string, string> | undefined)?.['retry-after'];
  if (typeof raw === 'string' && raw !== '') {
    const seconds = Number(raw);
    if (Number.isFinite(seconds)) return Math.min(60_000, Math.max(0, seconds * 1000));
    const at = Date.parse(raw);
    if (Number.isFinite(at)) return Math.min(60_000, Math.max(0, at - Date.now()));
  }
  return Math.min(30_000, 500 * 2 ** (attempt - 1));
}
