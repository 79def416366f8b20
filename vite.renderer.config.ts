import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The renderer alone, for `serve` and the desktop window: relative asset paths, so it also loads from file://.
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  build: { outDir: '../dist/renderer', emptyOutDir: true, target: 'es2022', modulePreload: { polyfill: false } },
});
