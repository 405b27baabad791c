import { configDefaults, defineConfig } from 'vitest/config';

// Tests import the packages' TypeScript sources (each package.json's `@universal-mcp/source` export
// condition), never a dist that a forgotten build left stale. The condition is scoped: a plain `source`
// is also in some dependencies' exports (eventsource), whose .ts node cannot load. A test that spawns
// a program (the CLI, a fixture server) still runs its dist: `pnpm test` builds first.
const conditions = ['@universal-mcp/source', 'node', 'development|production'];

/** Tests that need a program from outside node: Chromium, nginx, Prometheus, or npm packing and installing. */
const system = [
  'test/dashboard/{accessibility,apps,chat,dashboard,screenshots,tool-policy}.test.ts',
  'test/gateway/replicas*.test.ts',
  'test/telemetry/prometheus.test.ts',
  'test/packaging/**/*.test.ts',
  'test/integration/readme-install.test.ts',
];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Integration tests start real servers; two cores do not take more than two files at once.
    maxWorkers: 2,
    // CI also writes a JSON report, from which .ci/run prints a plain "N passed, N failed" line.
    reporters: process.env.CI ? ['default', ['json', { outputFile: '.ci/vitest-report.json' }]] : ['default'],
    projects: [
      // Each package's own tests: pure and fast, beside the package.
      { extends: true, test: { name: 'unit', include: ['packages/*/test/**/*.test.ts'] } },
      // Cross-package tests with real servers as child processes and on 127.0.0.1.
      {
        extends: true,
        test: { name: 'integration', include: ['test/**/*.test.ts'], exclude: [...configDefaults.exclude, ...system] },
      },
      { extends: true, test: { name: 'system', include: system } },
    ],
  },
});
