// Writing a state file so that a crash mid-write leaves the old file whole, and nobody else can read it
// (pins and task ids are private: a task id is a bearer token by spec).
import { chmod, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { dirname } from 'node:path';

/**
 * Replaces the file at `path` with `text`: written 0600 (its directory made 0700 when it has to be made) through a
 * temporary file beside it and a rename.
 */
export async function writeFileAtomic(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const temp = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeFile(temp, text, { mode: 0o600, flag: 'wx' });
    // writeFile's mode is masked by the umask; the file must be 0600 whatever the umask is.
    await chmod(temp, 0o600);
    await rename(temp, path);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
}
