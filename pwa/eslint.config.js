// ESLint (flat config): the recommended rules, and the globals each part of the app runs with.
import js from '@eslint/js';
import globals from 'globals';

const buildTime = { __APP_VERSION__: 'readonly' }; // written in by Vite (vite.config.js `define`)
/** The service worker and what it may import: sync/ and, of lib/, the dates. */
const workerCode = ['src/sw/**/*.js', 'src/sync/**/*.js', 'src/lib/dates.js'];

export default [
  { ignores: ['dist/', 'dev-dist/', 'node_modules/', 'public/icons/'] },
  js.configs.recommended,
  {
    languageOptions: { ecmaVersion: 'latest', sourceType: 'module' },
    rules: {
      // `const { step, ...visit } = draft` drops fields on purpose.
      'no-unused-vars': ['error', { ignoreRestSiblings: true }],
    },
  },
  // The page.
  {
    files: ['src/**/*.js'],
    ignores: workerCode,
    languageOptions: { globals: { ...globals.browser, ...buildTime } },
  },
  // The service worker and all it imports run with no window or document: hold them to what a
  // service worker has.
  {
    files: workerCode,
    languageOptions: { globals: { ...globals.serviceworker, ...buildTime } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                '**/app.js',
                '**/state/**',
                '**/worker/**',
                '**/office/**',
                '**/lib/**',
                '!**/lib/dates.js',
              ],
              message: 'The service worker imports only sync/ and lib/dates.js (see README).',
            },
          ],
        },
      ],
    },
  },
  // Node: the build's configuration, scripts and the tests (vitest, with fake IndexedDB).
  {
    files: ['*.config.js', 'scripts/**/*.mjs', 'test/**/*.js'],
    languageOptions: { globals: { ...globals.node, ...buildTime } },
  },
];
