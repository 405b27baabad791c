// A lock file beside a state file, so that processes sharing the file (two `umcp call`s at once) take turns at its
// read-merge-write. O_EXCL creation is the lock; it holds the holder's pid so that a crashed holder's lock is taken
// over, and a lock older than LOCK_STALE_MS is taken over too (a write holds it for milliseconds).
import { mkdir, open, readFile, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ErrorCode, UniversalMcpError } from '@universal-mcp/core';

/** A lock held longer than this is taken to be left behind by a holder that hung or died. */
export const LOCK_STALE_MS = 10_000;
/** How long a writer waits for the lock at most: past the stale age, so a dead holder's lock is taken over first. */
export const LOCK_WAIT_MS = 15_000;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** True when the process with this pid exists (EPERM: it exists, someone else's). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Which lock file this is: its inode and its change time in ns (an inode number may be reused at once). */
const identity = (s: { ino: bigint; ctimeNs: bigint }): string => `${s.ino}:${s.ctimeNs}`;

/** The lock file's identity when it was left behind (too old, or its holder's process is gone); else undefined. */
async function staleLock(lock: string, now: number): Promise<string | undefined> {
  try {
    const info = await stat(lock, { bigint: true });
    const id = identity(info);
    if (now - Number(info.mtimeMs) > LOCK_STALE_MS) return id;
    // A lock file holds a pid and a newline (a holder may not have written it yet: then only age counts).
    const pid = Number((await readFile(lock, 'utf8')).slice(0, 32).trim());
    return Number.isSafeInteger(pid) && pid > 0 && !alive(pid) ? id : undefined;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined; // released meanwhile: just try again
    throw err;
  }
}

/** Removes the stale lock judged, unless another taker already replaced it with a lock of its own. */
async function removeStale(lock: string, judged: string): Promise<void> {
  // Not atomic with the check, but the window is a stat's length, and only after a holder died or hung.
  const now = await stat(lock, { bigint: true }).catch(() => undefined);
  if (now !== undefined && identity(now) === judged) await rm(lock, { force: true });
}

/**
 * Runs `fn` holding `path + '.lock'` (created 0600 with O_EXCL, its directory 0700); retries every few ms for at
 * most {@link LOCK_WAIT_MS}, taking over a stale lock, then rejects `TIMEOUT`. Never waits forever.
 */
export async function withFileLock<T>(path: string, fn: () => Promise<T>): Promise<T> {
  const lock = `${path}.lock`;
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const end = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    let handle;
    try {
      handle = await open(lock, 'wx', 0o600);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const stale = await staleLock(lock, Date.now());
      if (stale !== undefined) await removeStale(lock, stale);
      else if (Date.now() > end)
        throw new UniversalMcpError(ErrorCode.TIMEOUT, `Lock ${lock} still held after ${LOCK_WAIT_MS} ms`, {
          details: { kind: 'deadline', ms: LOCK_WAIT_MS },
        });
      else await sleep(5 + Math.floor(Math.random() * 20)); // jittered: waiters do not retry in step
      continue;
    }
    try {
      try {
        await handle.writeFile(`${process.pid}\n`);
      } finally {
        await handle.close();
      }
      return await fn();
    } finally {
      await rm(lock, { force: true });
    }
  }
}
