// pnpm test:conformance, part 2 — the official conformance server suite (0.2.0-alpha.12) by frozen
// requirement set (`--requirements 2026-07-28` and `--requirements 2025-11-25`), against two upstreams:
// the SDK v2 conformance server serving both eras (server.ts) and the v1 one, 2025-11-25 only
// (server-2025.ts). Each upstream runs directly (its own Streamable HTTP) and behind the gateway
// (gateway.ts: the upstream on stdio under a UniversalMcpClient, served by createGateway).
// Scoring (issue 26): a scenario passes with no failure, at least the checks a working server gets,
// and no warning beyond those listed. What an upstream is built to pass directly is scored (v2: both
// revisions; v1: 2025-11-25), and every scenario an upstream passes directly must pass through the
// gateway with at least as many checks. The v1 upstream passes no 2026 scenario directly: what passes
// through the gateway is the gateway's translation, reported as a count.
// Each scenario runs on its own (`--scenario S --spec-version <rev> --force`, what --requirements does
// per scenario), two at a time. dns-rebinding-protection, run against the gateway, tests the
// gateway's own Host/Origin checks.
// Tasks (issue 30): the suite's tasks-* scenarios are not in a requirement set (not scored: "extension");
// they run against test/fixtures/tasks-server.mjs directly and through the gateway, scored the same way:
// every one passes directly, and through the gateway with at least as many checks.
//   node test/conformance/run-server.mjs [scenario ...]   (after pnpm build; all scenarios by default)
import { spawn, spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { built, here, node, resultOf, suite } from './suite.mjs';

const MODERN = '2026-07-28';
const LEGACY = '2025-11-25';
/** The upstreams, and the revisions each is built to pass directly. */
const UPSTREAMS = [
  { label: 'v2', file: 'server.js', serves: [MODERN, LEGACY] },
  { label: 'v1', file: 'server-2025.js', serves: [LEGACY] },
];
/** Scenarios run at once (the suite's runs are independent; 2 cores). */
const PARALLEL = 2;
const SCENARIO_TIMEOUT_MS = 90_000;

// Scenario → the checks a passing run produces, per revision (learnt on conformance 0.1.16 and
// 0.2.0-alpha.12); 1 where not listed.
const CHECKS = {
  [LEGACY]: {
    'json-schema-2020-12': 4,
    'elicitation-sep1034-defaults': 5,
    'elicitation-sep1330-enums': 5,
    'server-sse-multiple-streams': 2,
    'dns-rebinding-protection': 2,
    // Its raw POST declares protocol 2025-03-26 in its header, and the SDK's transport sends no
    // priming event (nor retry field) to a client that old: two warnings and no check, for any
    // server on the SDK's transport.
    'server-sse-polling': 0,
  },
  [MODERN]: { 'server-stateless': 30, caching: 8, 'dns-rebinding-protection': 2 },
};
const WARNINGS = { [LEGACY]: { 'server-sse-polling': 2 }, [MODERN]: {} };
const floor = (revision, s) => ({ ok: CHECKS[revision][s] ?? 1, warnings: WARNINGS[revision][s] ?? 0 });

/** The Tasks fixture (plain JavaScript, run from the source). */
const TASKS_FIXTURE = join(here, '..', 'fixtures', 'tasks-server.mjs');

/** Starts `node dist/<file> ...args` (or the script at a path); resolves with the URL it prints and a stop function. */
async function start(file, args) {
  const entry = file.includes('/') ? file : built(file);
  const child = spawn(process.execPath, [entry, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${file}: no URL within 20 s`)), 20_000);
    child.once('exit', (code) => reject(new Error(`${file} exited with ${code}`)));
    createInterface({ input: child.stdout }).once('line', (line) => {
      clearTimeout(timer);
      resolve(line.trim());
    });
  });
  const stop = () =>
    new Promise((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', resolve);
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
    });
  return { url, stop };
}

/** One scenario run: the suite's result line as numbers, and its output. */
function runScenario(url, scenario, revision) {
  const args = [suite, 'server', '--url', url, '--scenario', scenario, '--spec-version', revision, '--force'];
  const child = spawn(node, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const timer = setTimeout(() => child.kill('SIGKILL'), SCENARIO_TIMEOUT_MS);
  return new Promise((resolve) => {
    child.once('close', () => {
      clearTimeout(timer);
      resolve({ result: resultOf(out), out });
    });
  });
}

/**
 * The suite's Tasks extension scenarios (`tasks-*`, marked `[extension]`; in no requirement set). Left out:
 * tasks-status-notifications, a stub that reports SKIPPED with no check (0.2.0-alpha.12).
 */
function tasksScenarios() {
  const listed = spawnSync(node, [suite, 'list'], { encoding: 'utf8' });
  const names = [...`${listed.stdout}${listed.stderr}`.matchAll(/^ {2}- (tasks-\S+) \[extension\]/gm)].map((m) => m[1]);
  return names.filter((s) => s !== 'tasks-status-notifications');
}

/** The server scenarios a revision requires. */
function requirements(revision) {
  const listed = spawnSync(node, [suite, 'list', '--requirements', revision], { encoding: 'utf8' });
  const section = /Server scenarios[^\n]*\n((?: {2}- \S+\n)+)/.exec(`${listed.stdout}${listed.stderr}`)?.[1] ?? '';
  return [...section.matchAll(/^ {2}- (\S+)/gm)].map((m) => m[1]);
}

const only = process.argv.slice(2);
const pick = (list) => list.filter((s) => only.length === 0 || only.includes(s));
const SETS = { [MODERN]: pick(requirements(MODERN)), [LEGACY]: pick(requirements(LEGACY)) };
const TASKS = pick(tasksScenarios());
const problems = [];
for (const [revision, list] of Object.entries(SETS))
  if (list.length === 0 && only.length === 0) problems.push(`the suite lists no ${revision} server scenario`);
if (TASKS.length === 0 && only.length === 0) problems.push('the suite lists no tasks-* server scenario');
let scoredPassed = 0;
let scoredFailed = 0;

/**
 * Runs every scenario of `revision`, PARALLEL at a time: lane i against `urls[i]` (or the one URL).
 * `want(s)` gives the floor a scenario must reach, or undefined when it is not scored (then a miss
 * prints "no", not "FAIL").
 */
async function runAll(label, urls, revision, want, list = SETS[revision]) {
  const results = {};
  let next = 0;
  const worker = async (lane) => {
    const url = urls[lane % urls.length];
    while (next < list.length) {
      const scenario = list[next++];
      const t0 = Date.now();
      const { result, out } = await runScenario(url, scenario, revision);
      const scored = want(scenario);
      const need = scored ?? floor(revision, scenario);
      const good =
        result !== undefined && result.failed === 0 && result.ok >= need.ok && result.warnings <= need.warnings;
      results[scenario] = { ...result, good };
      const shown =
        result === undefined
          ? 'no result line'
          : `${result.ok}/${result.total} checks (want ≥ ${need.ok}), ${result.failed} failed, ` +
            `${result.warnings} warnings`;
      const tag = good ? 'ok  ' : scored === undefined ? 'no  ' : 'FAIL';
      console.log(`${tag} ${label.padEnd(26)} ${scenario.padEnd(46)} ${shown}, ${Date.now() - t0} ms`);
      if (scored === undefined) continue;
      if (good) scoredPassed += 1;
      else {
        scoredFailed += 1;
        problems.push(`${label} ${scenario}: ${shown}`);
        const lines = out.split('\n').filter((l) => /FAILURE|WARNING|Error/.test(l));
        console.log(lines.slice(0, 10).join('\n'));
      }
    }
  };
  await Promise.all(Array.from({ length: PARALLEL }, (_, lane) => worker(lane)));
  return results;
}

const passedCount = (results) => Object.values(results).filter((r) => r.good).length;
const counts = { [MODERN]: [], [LEGACY]: [] };
const t0 = Date.now();
// Only Tasks scenarios asked for: the conformance upstreams have nothing to run.
const upstreams = SETS[MODERN].length + SETS[LEGACY].length > 0 ? UPSTREAMS : [];
for (const upstream of upstreams) {
  const direct = {};
  const server = await start(upstream.file, ['--port', '0']);
  try {
    for (const revision of [MODERN, LEGACY]) {
      const scored = upstream.serves.includes(revision);
      direct[revision] = await runAll(`${upstream.label} direct ${revision}`, [server.url], revision, (s) =>
        scored ? floor(revision, s) : undefined,
      );
    }
  } finally {
    await server.stop();
  }
  // One gateway per lane: a 2025-era upstream's sampling or elicitation request carries no link to
  // the call it serves, so a gateway refuses it while two clients have calls in flight on that server
  // (rather than guess); two scenarios at once through one gateway would be two such clients.
  const gateways = await Promise.all(Array.from({ length: PARALLEL }, () => start('gateway.js', [upstream.file])));
  const via = {};
  try {
    for (const revision of [MODERN, LEGACY]) {
      // Through the gateway: what passed directly, with at least the checks and no more warnings.
      const urls = gateways.map((g) => g.url);
      via[revision] = await runAll(`${upstream.label} via gateway ${revision}`, urls, revision, (s) => {
        const before = direct[revision][s];
        if (!before?.good) return undefined;
        const base = floor(revision, s);
        return { ok: Math.max(base.ok, before.ok), warnings: Math.min(base.warnings, before.warnings) };
      });
    }
  } finally {
    await Promise.all(gateways.map((g) => g.stop()));
  }
  for (const revision of [MODERN, LEGACY]) {
    const n = SETS[revision].length;
    counts[revision].push(`${upstream.label} direct ${passedCount(direct[revision])}/${n}`);
    counts[revision].push(`${upstream.label} via gateway ${passedCount(via[revision])}/${n}`);
  }
}

// The Tasks fixture: directly, then through the gateway (one per lane, as above).
let tasksCounts = '';
if (TASKS.length > 0) {
  const fixture = await start(TASKS_FIXTURE, ['--http']);
  let direct;
  try {
    direct = await runAll('tasks direct', [fixture.url], MODERN, (s) => floor(MODERN, s), TASKS);
  } finally {
    await fixture.stop();
  }
  const gateways = await Promise.all(Array.from({ length: PARALLEL }, () => start('gateway.js', ['tasks-server.mjs'])));
  let via;
  try {
    via = await runAll(
      'tasks via gateway',
      gateways.map((g) => g.url),
      MODERN,
      (s) => ({ ok: Math.max(floor(MODERN, s).ok, direct[s]?.ok ?? 0), warnings: 0 }),
      TASKS,
    );
  } finally {
    await Promise.all(gateways.map((g) => g.stop()));
  }
  const n = TASKS.length;
  tasksCounts = `tasks direct ${passedCount(direct)}/${n}, tasks via gateway ${passedCount(via)}/${n}`;
}

console.log('');
for (const revision of [MODERN, LEGACY]) console.log(`server ${revision}: ${counts[revision].join(', ')}`);
if (tasksCounts !== '') console.log(`server ${MODERN} Tasks extension: ${tasksCounts}`);
console.log(
  `(the v1 upstream serves 2025-11-25 only, so its 2026 count through the gateway is translation; ` +
    `${Math.round((Date.now() - t0) / 1000)} s)`,
);
console.log(`${scoredPassed} passed, ${scoredFailed} failed`);
if (problems.length > 0) {
  console.log(problems.map((p) => `  - ${p}`).join('\n'));
  process.exit(1);
}
