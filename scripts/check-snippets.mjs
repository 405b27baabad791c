#!/usr/bin/env node
// Every ```ts / ```typescript block of README.md and docs/*.md (not docs/api, which is generated) is
// type-checked as a module of its own, so a snippet cannot drift from the API it documents.
// A block fenced ```ts fragment (any word after the language containing "fragment") is skipped:
// keep those few. Usage: node scripts/check-snippets.mjs [file.md ...] (default: README.md docs/*.md).
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The markdown files to read: the arguments, or README.md and docs/*.md. */
function docFiles(args) {
  if (args.length > 0) return args.map((a) => resolve(a));
  const docs = readdirSync(join(root, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => join(root, 'docs', f));
  return [join(root, 'README.md'), ...docs];
}

/** Each ts block of a markdown text: its first line number, its code, and whether it is a marked fragment. */
export function extractSnippets(text) {
  const lines = text.split('\n');
  const out = [];
  let open;
  for (const [i, line] of lines.entries()) {
    if (open === undefined) {
      const m = /^(\s*)```(ts|typescript)\b(.*)$/.exec(line);
      if (m) open = { line: i + 2, fragment: /fragment/.test(m[3]), code: [], indent: m[1].length };
    } else if (/^\s*```\s*$/.test(line)) {
      out.push({ line: open.line, fragment: open.fragment, code: open.code.join('\n') });
      open = undefined;
    } else {
      open.code.push(line.slice(open.indent));
    }
  }
  return out;
}

// A snippet may import any package of the workspace and what any package depends on (the provider SDKs that
// packages/llm has, say): the temp dir gets a node_modules of links to each, the root's first.
function linkPackages(into) {
  const sources = [join(root, 'node_modules')];
  for (const p of readdirSync(join(root, 'packages'))) sources.push(join(root, 'packages', p, 'node_modules'));
  const seen = new Set();
  for (const src of sources) {
    if (!existsSync(src)) continue;
    for (const entry of readdirSync(src)) {
      if (entry.startsWith('.')) continue;
      const names = entry.startsWith('@') ? readdirSync(join(src, entry)).map((n) => `${entry}/${n}`) : [entry];
      for (const name of names) {
        if (seen.has(name)) continue;
        seen.add(name);
        mkdirSync(dirname(join(into, name)), { recursive: true });
        symlinkSync(realpathSync(join(src, name)), join(into, name), 'dir');
      }
    }
  }
}

const tsconfig = {
  compilerOptions: {
    target: 'ES2022',
    lib: ['ES2023', 'ESNext.Disposable'],
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    esModuleInterop: true,
    types: ['node'],
    // Snippets are read as documentation: a name declared but not used is fine there.
    noUnusedLocals: false,
  },
};

const files = docFiles(process.argv.slice(2));
const dir = mkdtempSync(join(root, '.snippets-'));
const where = new Map();
try {
  let n = 0;
  let skipped = 0;
  for (const file of files) {
    for (const s of extractSnippets(readFileSync(file, 'utf8'))) {
      if (s.fragment) {
        skipped++;
        continue;
      }
      const name = `${basename(file, '.md')}-${s.line}.ts`;
      // `export {}` makes it a module, where top-level await is allowed.
      writeFileSync(join(dir, name), `${s.code}\nexport {};\n`);
      where.set(name, `${relative(root, file)}:${s.line}`);
      n++;
    }
  }
  linkPackages(join(dir, 'node_modules'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ ...tsconfig, include: ['*.ts'] }, null, 2));
  const tsc = createRequire(join(root, 'package.json')).resolve('typescript/bin/tsc');
  try {
    if (n > 0)
      execFileSync(process.execPath, [tsc, '-p', join(dir, 'tsconfig.json'), '--pretty', 'false'], { cwd: root });
  } catch (err) {
    // Point each error at the markdown line it came from.
    const text = String(err.stdout ?? '') + String(err.stderr ?? '');
    const mapped = text.replace(/^(?:.*[\\/])?([\w.-]+\.ts)\((\d+),(\d+)\)/gm, (m, f, l, c) => {
      const at = where.get(f);
      if (at === undefined) return m;
      const [doc, first] = at.split(/:(?=\d+$)/);
      return `${doc}:${Number(first) + Number(l) - 1}:${c}`;
    });
    process.stderr.write(mapped);
    process.stderr.write(
      `check-snippets: snippets that do not compile (fence one \`\`\`ts fragment only if it is meant to be partial)\n`,
    );
    process.exitCode = 1;
  }
  if (process.exitCode !== 1) console.log(`check-snippets: ${n} snippets compile (${skipped} marked fragment)`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
