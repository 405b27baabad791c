// pnpm test:conformance, part 1 — the official @modelcontextprotocol/conformance client suite against
// our conformance client (client.ts, built on UniversalMcpClient). Every scenario runs on its own
// (in parallel on 2 cores, sse-retry's reconnect timing drifts past its tolerance). A scenario
// passes only with no failure, no warning, every check passed, and at least as many checks as a
// working client produces: a client that does nothing still gets a tick on some scenarios.
// The suite needs Node >= 22 (it imports fs.globSync); the client runs on this machine's Node.
import { spawnSync } from 'node:child_process';
import { built, node, resultOf, suite } from './suite.mjs';

// Scenario → the number of checks a passing run of our client produces (conformance 0.1.16).
const EXPECTED = {
  initialize: 1,
  tools_call: 1,
  'elicitation-sep1034-client-defaults': 5,
  'sse-retry': 3,
  'auth/metadata-default': 15,
  'auth/metadata-var1': 15,
  'auth/metadata-var2': 15,
  'auth/metadata-var3': 15,
  'auth/basic-cimd': 15,
  'auth/scope-from-www-authenticate': 16,
  'auth/scope-from-scopes-supported': 16,
  'auth/scope-omitted-when-undefined': 16,
  'auth/scope-step-up': 26,
  'auth/scope-retry-limit': 14,
  'auth/token-endpoint-auth-basic': 20,
  'auth/token-endpoint-auth-post': 20,
  'auth/token-endpoint-auth-none': 20,
  'auth/pre-registration': 15,
  'auth/2025-03-26-oauth-metadata-backcompat': 13,
  'auth/2025-03-26-oauth-endpoint-fallback': 7,
  'auth/resource-mismatch': 3,
  'auth/offline-access-scope': 14,
  'auth/offline-access-not-supported': 16,
  'auth/client-credentials-jwt': 8,
  'auth/client-credentials-basic': 8,
  'auth/cross-app-access-complete-flow': 9,
};

const client = `"${process.execPath}" "${built('client.js')}"`;

const listed = spawnSync(node, [suite, 'list', '--client'], { encoding: 'utf8' });
const scenarios = [...`${listed.stdout}${listed.stderr}`.matchAll(/^ {2}- (\S+)/gm)].map((m) => m[1]);
const problems = [];
const unknown = scenarios.filter((s) => !(s in EXPECTED));
const missing = Object.keys(EXPECTED).filter((s) => !scenarios.includes(s));
if (unknown.length > 0) problems.push(`scenarios without an expected check count: ${unknown.join(', ')}`);
if (missing.length > 0) problems.push(`expected scenarios the suite no longer lists: ${missing.join(', ')}`);

let passed = 0;
const only = process.argv.slice(2);
for (const scenario of scenarios.filter((s) => only.length === 0 || only.includes(s))) {
  const t0 = Date.now();
  const run = spawnSync(node, [suite, 'client', '--command', client, '--scenario', scenario, '--timeout', '60000'], {
    encoding: 'utf8',
    timeout: 120_000,
  });
  const out = `${run.stdout}${run.stderr}`;
  const m = resultOf(out);
  const { ok, total, failed, warnings } = m ?? { ok: 0, total: 0, failed: -1, warnings: -1 };
  const floor = EXPECTED[scenario] ?? Infinity;
  const good =
    m !== undefined && failed === 0 && warnings === 0 && ok === total && total >= floor && /OVERALL: PASSED/.test(out);
  const checks = `${ok}/${total} checks (expected ≥ ${floor}), ${failed} failed, ${warnings} warnings`;
  console.log(`${good ? 'ok  ' : 'FAIL'} ${scenario.padEnd(45)} ${checks}, ${Date.now() - t0} ms`);
  if (good) passed += 1;
  else {
    problems.push(
      `${scenario}: ${m === undefined ? 'no result line' : `${ok}/${total}, ${failed} failed, ${warnings} warnings`}`,
    );
    console.log(
      out
        .split('\n')
        .filter((l) => /FAILURE|WARNING|conformance client|Client exited|timed out/.test(l))
        .slice(0, 20)
        .join('\n'),
    );
  }
}
const ran = only.length === 0 ? scenarios.length : only.length;
console.log(`\nconformance: ${passed}/${ran} scenarios passed`);
console.log(`${passed} passed, ${ran - passed} failed`);
if (problems.length > 0) {
  console.log(problems.map((p) => `  - ${p}`).join('\n'));
  process.exit(1);
}
