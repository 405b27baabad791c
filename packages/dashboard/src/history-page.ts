import type { HistoryEntry } from './history.js';

/** The most entries one page of the history API gives. */
export const MAX_PAGE = 500;

/**
 * One page of `entries` (newest first): at most `limit`, older than the cursor `before`. The
 * cursor `<at>` gives the entries of an earlier time; `<at>.<k>` also those of that millisecond
 * after its first `k` (the page before showed them). It follows the last entry shown, not a
 * position, so calls that end meanwhile do not shift the next page.
 */
export function historyPage(
  entries: readonly HistoryEntry[],
  before: string | undefined,
  limit: number,
): HistoryEntry[] {
  const size = Math.min(MAX_PAGE, Math.max(1, Math.floor(Number.isFinite(limit) ? limit : 100)));
  const cursor = /^(\d+)(?:\.(\d+))?$/.exec(before ?? '');
  if (cursor === null) return entries.slice(0, size);
  const at = Number(cursor[1]);
  let skip = cursor[2] === undefined ? Infinity : Number(cursor[2]);
  const older = entries.filter((e) => {
    if (e.at < at) return true;
    if (e.at > at) return false;
    skip -= 1;
    return skip < 0;
  });
  return older.slice(0, size);
}
