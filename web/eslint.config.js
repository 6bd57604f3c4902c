// ESLint for the dashboard (scripts/check-web.sh runs it in CI): the recommended JavaScript and
// typescript-eslint rules, which catch mistakes (undefined names, unused values, `any` leaking
// in, duplicate keys), not style; Prettier owns the formatting.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'src/api-types.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['src/**/*.ts'],
    languageOptions: { globals: globals.browser },
    rules: {
      // Unused arguments are allowed when named _x (interface methods that ignore one).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    // The e2e driver and the configs run in Node; the e2e callbacks it hands to the page run in
    // the browser.
    files: ['e2e/**/*.mjs', '*.config.js', '*.config.ts'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
);
