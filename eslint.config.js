import js from '@eslint/js';
import tseslint from 'typescript-eslint';
// Node 24 strips the types of the .ts file as it loads it.
import { layerRules } from './eslint.layers.ts';

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
    // The renderer has its own project (DOM, JSX, no Node); what it may import is in eslint.layers.js.
    files: ['renderer/src/**/*.{ts,tsx}'],
    languageOptions: {
      parserOptions: { projectService: false, project: './tsconfig.web.json', tsconfigRootDir: import.meta.dirname },
      globals: { window: 'readonly', document: 'readonly', performance: 'readonly' },
    },
    rules: {
      'no-restricted-globals': ['error', 'process', 'Buffer', 'require', '__dirname'],
    },
  },
  {
    // Component tests run in Node (jsdom) against a real `serve`, so they may use Node and the test helpers.
    files: ['renderer/test/**/*.{ts,tsx}'],
    languageOptions: {
      parserOptions: {
        projectService: false,
        project: './tsconfig.renderer-test.json',
        tsconfigRootDir: import.meta.dirname,
      },
      globals: { window: 'readonly', document: 'readonly', performance: 'readonly' },
    },
  },
  {
    files: ['**/*.js'],
    extends: [tseslint.configs.disableTypeChecked],
  },
  ...layerRules,
);
