// ESLint: typescript-eslint's strict and stylistic rules over every TypeScript source and test.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', 'docs/api/**', '.packs/**', '.ci/tools/**', '.ci/artifacts/**'] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  ...tseslint.configs.stylistic,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      // Unused arguments named _x are deliberate (a position in a signature).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      'max-len': [
        'error',
        {
          code: 120,
          ignoreUrls: true,
          ignoreRegExpLiterals: true,
        },
      ],
    },
  },
  {
    // The dashboard's page runs in the browser.
    files: ['packages/dashboard/public/**/*.js'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // Small files named after what they hold: every line counts (blank lines and comments too).
    files: ['packages/*/src/**/*.ts', 'packages/dashboard/public/**/*.js'],
    rules: { 'max-lines': ['error', { max: 400, skipBlankLines: false, skipComments: false }] },
  },
  {
    // Tests drive code with fakes and assert on shapes they just built.
    files: ['**/test/**/*.ts', 'test/**/*.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
  {
    // Tests get more room: one feature's scenarios with their real-server set-up read best in one file.
    files: ['test/**', 'packages/*/test/**'],
    rules: { 'max-lines': ['error', { max: 700, skipBlankLines: false, skipComments: false }] },
  },
);
