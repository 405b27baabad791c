// The host side of the MCP Apps bridge (`@modelcontextprotocol/ext-apps/app-bridge`) for the
// dashboard's page, as one ES module: it imports the SDK client, core and zod, which the page (no
// bundler, served files only) cannot resolve. Written to dist/vendor/app-bridge.mjs after tsc;
// the dashboard serves it as /vendor/app-bridge.mjs.
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = new URL('../', import.meta.url);
const outfile = fileURLToPath(new URL('dist/vendor/app-bridge.mjs', root));
mkdirSync(fileURLToPath(new URL('dist/vendor/', root)), { recursive: true });
await build({
  stdin: {
    contents: "export { AppBridge, PostMessageTransport } from '@modelcontextprotocol/ext-apps/app-bridge';",
    resolveDir: fileURLToPath(root),
    loader: 'js',
  },
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  minify: true,
  legalComments: 'eof',
  logLevel: 'warning',
  outfile,
});
