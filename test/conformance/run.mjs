// pnpm test:conformance, part 1 — the official @modelcontextprotocol/conformance client suite
// (0.2.0-alpha.12) by frozen requirement set: 2026-07-28 (32 scored scenarios) and 2025-11-25 (18),
// each at its own wire, against our conformance client (client.ts, built on UniversalMcpClient).
// `--reference` runs reference-client.mjs (the bare SDK v2 client) instead: that is how the floors
// below were learnt. `--requirements <rev>` runs one set; other arguments pick scenarios.
// Every scenario runs on its own (in parallel on 2 cores, sse-retry's reconnect timing drifts past
// its tolerance): `--requirements` cannot be combined with `--scenario`, so each runs as
// `--scenario S --spec-version <rev> --force`, which is what `--requirements` does per scenario.
// A scenario passes only with no failure, no warning, every check passed, and at least as many
// checks as a working client produces: a client that does nothing still gets a tick on some.
// Extension scenarios (never scored by the suite) are run and reported, and never fail the run.
// The suite needs Node >= 22 (it imports fs.globSync); the clients run on this machine's Node.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { built, here, node, resultOf, suite } from './suite.mjs';

// Revision → scenario → the checks the reference client (SDK v2 2.4.0) gets on a passing run.
// The reference client fails one: sep-2322-client-request-state (SDK 2.4.0 rejects the mock's
// result without resultType, which the scenario says means "complete"); its floor is the checks
// it got (5/5) before exiting on that error.
const EXPECTED = {
  '2026-07-28': {
    tools_call: 2,
    'request-metadata': 8,
    'auth/metadata-default': 20,
    'auth/metadata-var1': 20,
    'auth/metadata-var2': 20,
    'auth/metadata-var3': 20,
    'auth/basic-cimd': 14,
    'auth/scope-from-www-authenticate': 16,
    'auth/scope-from-scopes-supported': 16,
    'auth/scope-omitted-when-undefined': 16,
    'auth/scope-step-up': 29,
    'auth/scope-retry-limit': 13,
    'auth/token-endpoint-auth-basic': 21,
    'auth/token-endpoint-auth-post': 21,
    'auth/token-endpoint-auth-none': 21,
    'auth/pre-registration': 14,
    'auth/resource-mismatch': 3,
    'auth/offline-access-scope': 14,
    'auth/offline-access-not-supported': 16,
    'auth/authorization-server-migration': 31,
    'auth/iss-supported': 16,
    'auth/iss-not-advertised': 16,
    'auth/iss-supported-missing': 10,
    'auth/iss-wrong-issuer': 10,
    'auth/iss-unexpected': 10,
    'auth/iss-normalized': 10,
    'auth/metadata-issuer-mismatch': 3,
    'sep-2322-client-request-state': 5,
    'http-standard-headers': 9,
    'http-custom-headers': 18,
    'http-invalid-tool-headers': 12,
    'json-schema-ref-no-deref': 1,
  },
  '2025-11-25': {
    initialize: 1,
    tools_call: 2,
    'elicitation-sep1034-client-defaults': 5,
    'sse-retry': 3,
    'auth/metadata-default': 20,
    'auth/metadata-var1': 20,
    'auth/metadata-var2': 20,
    'auth/metadata-var3': 20,
    'auth/basic-cimd': 15,
    'auth/scope-from-www-authenticate': 16,
    'auth/scope-from-scopes-supported': 16,
    'auth/scope-omitted-when-undefined': 16,
    'auth/scope-step-up': 26,
    'auth/scope-retry-limit': 12,
    'auth/token-endpoint-auth-basic': 21,
    'auth/token-endpoint-auth-post': 21,
    'auth/token-endpoint-auth-none': 21,
    'auth/pre-registration': 15,
  },
};
// Revision → scenarios our client (UniversalMcpClient) is known to fail. Burns down: a listed
// scenario that passes is a failure too, so the list cannot go stale.
const KNOWN_FAILURES = {
  '2026-07-28': [],
  '2025-11-25': [],
};
// Revision → scenario → the checks our client gets where it differs from the reference: in the
// auth scenarios the bare SDK client fetches the protected-resource and the authorization-server
// metadata twice (two more SUCCESS lines, more on step-up); our client fetches each once (the
// 2025-11-25 counts are the same with the core of main before the 2026 era, measured).
const OUR_FLOORS = {
  '2025-11-25': {
    'auth/metadata-default': 18,
    'auth/metadata-var1': 18,
    'auth/metadata-var2': 18,
    'auth/metadata-var3': 18,
    'auth/basic-cimd': 13,
    'auth/scope-from-www-authenticate': 14,
    'auth/scope-from-scopes-supported': 14,
    'auth/scope-omitted-when-undefined': 14,
    'auth/scope-step-up': 21,
    'auth/scope-retry-limit': 10,
    'auth/token-endpoint-auth-basic': 19,
    'auth/token-endpoint-auth-post': 19,
    'auth/token-endpoint-auth-none': 19,
    'auth/pre-registration': 13,
  },
  '2026-07-28': {
    'auth/metadata-default': 18,
    'auth/metadata-var1': 18,
    'auth/metadata-var2': 18,
    'auth/metadata-var3': 18,
    'auth/basic-cimd': 12,
    'auth/scope-from-www-authenticate': 14,
    'auth/scope-from-scopes-supported': 14,
    'auth/scope-omitted-when-undefined': 14,
    'auth/scope-step-up': 24,
    'auth/token-endpoint-auth-basic': 19,
    'auth/token-endpoint-auth-post': 19,
    'auth/token-endpoint-auth-none': 19,
    'auth/pre-registration': 12,
    'auth/offline-access-scope': 12,
    'auth/offline-access-not-supported': 14,
    'auth/iss-supported': 14,
    'auth/iss-not-advertised': 14,
    'auth/iss-supported-missing': 8,
    'auth/iss-wrong-issuer': 8,
    'auth/iss-unexpected': 8,
    'auth/iss-normalized': 8,
    // One protected-resource and one authorization-server metadata fetch per authorization server.
    'auth/authorization-server-migration': 28,
  },
};

const args = process.argv.slice(2);
const reference = args.includes('--reference');
const revArg = args.indexOf('--requirements');
const revisions = revArg >= 0 ? [args[revArg + 1]] : ['2026-07-28', '2025-11-25'];
const only = args.filter((a, i) => !a.startsWith('--') && (revArg < 0 || i !== revArg + 1));
const client = reference
  ? `"${process.execPath}" "${join(here, 'reference-client.mjs')}"`
  : `"${process.execPath}" "${built('client.js')}"`;

/** The client scenarios a revision scores, and the extension ones it runs but never scores. */
function requirements(revision) {
  const listed = spawnSync(node, [suite, 'list', '--requirements', revision], { encoding: 'utf8' });
  const out = `${listed.stdout}${listed.stderr}`;
  const section = /Client scenarios[^\n]*\n((?: {2}- \S+\n)+)/.exec(out)?.[1] ?? '';
  const scored = [...section.matchAll(/^ {2}- (\S+)/gm)].map((m) => m[1]);
  const optional = [...out.matchAll(/^ {4}- (\S+) \[client\]/gm)].map((m) => m[1]);
  return { scored, optional };
}

/** Runs one scenario at a revision's wire; returns the verdict and the line to print. */
function runScenario(scenario, revision, floor) {
  const t0 = Date.now();
  const run = spawnSync(
    node,
    [suite, 'client', '--command', client, '--scenario', scenario, '--spec-version', revision, '--force'],
    { encoding: 'utf8', timeout: 120_000 },
  );
  const out = `${run.stdout}${run.stderr}`;
  const m = resultOf(out);
  const { ok, total, failed, warnings } = m ?? { ok: 0, total: 0, failed: -1, warnings: -1 };
  const good =
    m !== undefined && failed === 0 && warnings === 0 && ok === total && total >= floor && /OVERALL: PASSED/.test(out);
  const checks = `${ok}/${total} checks (expected ≥ ${floor}), ${failed} failed, ${warnings} warnings`;
  const detail = out
    .split('\n')
    .filter((l) => /FAILURE|WARNING|conformance client|reference client|Client exited|timed out/.test(l))
    .slice(0, 12)
    .join('\n');
  return { good, line: `${scenario.padEnd(45)} ${checks}, ${Date.now() - t0} ms`, detail, ok, total };
}

const problems = [];
const counts = {};
let passed = 0;
let failed = 0;
for (const revision of revisions) {
  const { scored, optional } = requirements(revision);
  const expected = EXPECTED[revision] ?? {};
  if (scored.length === 0) problems.push(`${revision}: the suite lists no client scenario`);
  if (!reference) {
    const unknown = scored.filter((s) => !(s in expected));
    if (unknown.length > 0) problems.push(`${revision}: no expected check count for ${unknown.join(', ')}`);
  }
  const known = new Set(reference ? [] : (KNOWN_FAILURES[revision] ?? []));
  counts[revision] = { passed: 0, of: scored.length };
  console.log(`\n== client --requirements ${revision} (${scored.length} scored, ${optional.length} extension)`);
  for (const scenario of [...scored, ...optional].filter((s) => only.length === 0 || only.includes(s))) {
    const isOptional = !scored.includes(scenario);
    // Extensions have no floor: they are reported, never scored.
    const ours = reference ? undefined : OUR_FLOORS[revision]?.[scenario];
    const r = runScenario(scenario, revision, ours ?? expected[scenario] ?? (reference || isOptional ? 0 : Infinity));
    const tag = isOptional ? (r.good ? 'ext ok  ' : 'ext FAIL') : r.good ? 'ok      ' : 'FAIL    ';
    console.log(`${tag} ${r.line}${known.has(scenario) ? ' (known failure)' : ''}`);
    if (!r.good && (process.env.CONFORMANCE_DEBUG === '1' || !known.has(scenario))) console.log(r.detail);
    if (isOptional) continue;
    if (r.good) {
      passed += 1;
      counts[revision].passed += 1;
      if (known.has(scenario)) problems.push(`${revision} ${scenario}: passes now, take it off KNOWN_FAILURES`);
    } else {
      failed += 1;
      if (!known.has(scenario)) problems.push(`${revision} ${scenario}: ${r.ok}/${r.total}`);
    }
  }
}

console.log(
  `\n${reference ? 'reference client' : 'conformance'}: ` +
    revisions.map((r) => `${r}: ${counts[r].passed}/${counts[r].of}`).join(', '),
);
console.log(`${passed} passed, ${failed} failed`);
if (problems.length > 0 && !reference) {
  console.log(problems.map((p) => `  - ${p}`).join('\n'));
  process.exit(1);
}
