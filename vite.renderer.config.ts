import { defineConfig } from 'vite';
import { preact } from './vite.preact.ts';

// The renderer alone, for `serve` and the desktop window: relative asset paths, so it also loads from file://.
export default defineConfig({
  root: 'renderer',
  base: './',
  ...preact,
  build: { outDir: '../dist/renderer', emptyOutDir: true, target: 'es2022', modulePreload: { polyfill: false } },
});
