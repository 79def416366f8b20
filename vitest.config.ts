import { defineConfig } from 'vitest/config';
import { preact } from './vite.preact.ts';

export default defineConfig({
  ...preact,
  test: {
    include: ['**/*.test.ts', '**/*.test.tsx'],
    exclude: ['node_modules/**'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // Hermetic: no test may reach an Ollama that happens to run on the developer's machine.
    // The memory's Chroma back end is tested on its own; everything else uses the in-database one, fast.
    env: { OLLAMA_HOST: 'http://127.0.0.1:9', DAILY_BRIEF_MEMORY_BACKEND: 'sqlite-vec' },
    // One real Chroma server for the whole run, or a clear reason why not (see DEVELOPERS.md).
    globalSetup: ['test/setup/chroma.ts', 'test/setup/renderer.ts'],
  },
});
