// Keeps every stylesheet of the console small (ESLint's max-lines does not read CSS): each
// packages/dashboard/public/*.css, or the files given, at most 400 lines, every line counted.
// Exit code 1, with each file over the limit named, when one is larger. Run by `pnpm lint`.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** The most lines one stylesheet may have (the same bound as ESLint's max-lines on sources). */
const MAX_LINES = 400;
const root = join(import.meta.dirname, '..');
const publicDir = join(root, 'packages', 'dashboard', 'public');

const given = process.argv.slice(2);
const files =
  given.length > 0
    ? given
    : readdirSync(publicDir)
        .filter((f) => f.endsWith('.css'))
        .map((f) => join(publicDir, f));

/** Lines as an editor numbers them: a final newline ends the last line, it does not start another. */
const linesOf = (text) => (text === '' ? 0 : text.replace(/\r?\n$/, '').split(/\r?\n/).length);

let over = 0;
for (const file of files) {
  const lines = linesOf(readFileSync(file, 'utf8'));
  if (lines <= MAX_LINES) continue;
  over += 1;
  console.error(`${relative(process.cwd(), file)}: ${lines} lines, over the ${MAX_LINES}-line limit: split it`);
}
if (over > 0) process.exit(1);
