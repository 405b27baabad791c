import { readFileSync } from 'node:fs';

const PUBLIC = new URL('../public/', import.meta.url);
/** The page's files and the two libraries it imports, read once: the page needs no bundler. */
export const ASSETS: Record<string, { type: string; body: string }> = {
  ...Object.fromEntries(
    [
      'app.js',
      'tools.js',
      'tool-changes.js',
      'catalog.js',
      'requests.js',
      'tasks.js',
      'server-detail.js',
      'chat.js',
      'chat-messages.js',
      'chat-actions.js',
      'chat-composer.js',
      'chat-composer-forms.js',
      'chat-composer-text.js',
      'chat-image-file.js',
      'chat-list.js',
      'chat-settings.js',
      'chat-state.js',
      'schema-form.js',
      'server-chart.js',
      'time-format.js',
      'theme.js',
      'markdown.js',
      'app-view.js',
      'style.css',
      'servers.css',
      'apps.css',
      'chat.css',
      'chat-composer.css',
      'tasks.css',
    ].map((file) => [
      `/${file}`,
      {
        type: file.endsWith('.css') ? 'text/css' : 'text/javascript',
        body: readFileSync(new URL(file, PUBLIC), 'utf8'),
      },
    ]),
  ),
  '/vendor/preact.mjs': { type: 'text/javascript', body: readFileSync(new URL(import.meta.resolve('preact')), 'utf8') },
  '/vendor/htm.mjs': { type: 'text/javascript', body: readFileSync(new URL(import.meta.resolve('htm')), 'utf8') },
  '/vendor/uplot.mjs': {
    type: 'text/javascript',
    body: readFileSync(new URL(import.meta.resolve('uplot/dist/uPlot.esm.js')), 'utf8'),
  },
  '/vendor/marked.mjs': { type: 'text/javascript', body: readFileSync(new URL(import.meta.resolve('marked')), 'utf8') },
  '/vendor/highlight.mjs': {
    type: 'text/javascript',
    body: readFileSync(new URL(import.meta.resolve('@highlightjs/cdn-assets/es/highlight.min.js')), 'utf8'),
  },
  // highlight.js's a11y themes: their token colours keep 4.5:1 on their own backgrounds (github's
  // red, green and orange do not). Light by default, dark under the page's dark theme.
  '/vendor/highlight.css': { type: 'text/css', body: highlightCss() },
  // Bundled at build time (scripts/bundle-app-bridge.mjs): ext-apps' host bridge with its SDK imports. Always
  // in dist/, whether this module runs from dist/ or (in the tests) from src/.
  '/vendor/app-bridge.mjs': {
    type: 'text/javascript',
    body: readFileSync(new URL('../dist/vendor/app-bridge.mjs', import.meta.url), 'utf8'),
  },
  '/vendor/uplot.css': {
    type: 'text/css',
    body: readFileSync(new URL(import.meta.resolve('uplot/dist/uPlot.min.css')), 'utf8'),
  },
};
/** One sheet for code: a11y-light, then a11y-dark with every selector under `:root[data-theme='dark']`. */
function highlightCss(): string {
  const read = (name: string) =>
    readFileSync(new URL(import.meta.resolve(`@highlightjs/cdn-assets/styles/${name}.min.css`)), 'utf8');
  const dark = read('a11y-dark')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(
      /([^{}]+)\{/g,
      (_, selectors: string) =>
        `${selectors
          .split(',')
          .map((selector) => `:root[data-theme='dark'] ${selector.trim()}`)
          .join(',')}{`,
    );
  return `${read('a11y-light')}\n${dark}`;
}
export const PAGE = readFileSync(new URL('index.html', PUBLIC), 'utf8');
export const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; " +
  "img-src 'self' data:; media-src 'self' data:; frame-src 'self'; base-uri 'none'; form-action 'none'; " +
  "frame-ancestors 'none'";
