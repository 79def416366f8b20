import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'out/', 'release/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['*.js', 'cli/*.js'] },
        tsconfigRootDir: import.meta.dirname,
      },
      globals: { process: 'readonly', console: 'readonly', URL: 'readonly' },
    },
    rules: {
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    // The renderer has its own project (DOM, JSX) and may take only types from the rest of the app.
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: {
      parserOptions: { projectService: false, project: './tsconfig.web.json', tsconfigRootDir: import.meta.dirname },
      globals: { window: 'readonly', document: 'readonly', performance: 'readonly' },
    },
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*'], message: 'The renderer runs in a browser: no Node modules.' },
            {
              group: [
                '**/core/**',
                '!**/core/links.ts',
                '**/agents/**',
                '**/connectors/**',
                '**/cli/**',
                '**/electron/**',
              ],
              allowTypeImports: true,
              message: 'The renderer talks to the app through the client only; import types, not code.',
            },
          ],
          paths: [{ name: 'electron', message: 'Only electron/ may touch Electron.' }],
        },
      ],
      'no-restricted-globals': ['error', 'process', 'Buffer', 'require', '__dirname'],
    },
  },
  {
    // Component tests run in Node against a real `serve`, so they may use Node and the test helpers.
    files: ['renderer/test/**'],
    rules: { '@typescript-eslint/no-restricted-imports': 'off', 'no-restricted-globals': 'off' },
  },
  {
    files: ['**/*.js'],
    extends: [tseslint.configs.disableTypeChecked],
  },
  {
    // Only electron/ may touch Electron; everything else must run in plain Node.
    files: ['core/**', 'connectors/**', 'agents/**', 'cli/**', 'renderer/**'],
    rules: { 'no-restricted-imports': ['error', { paths: ['electron'] }] },
  },
);
