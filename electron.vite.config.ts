import { defineConfig } from 'electron-vite';
import { preact } from './vite.preact.ts';

// electron-vite layout, built into out/main (main and the core's utilityProcess entry), out/preload and
// out/renderer (from renderer/). Dependencies stay in node_modules (externalized), so native modules load from disk.
export default defineConfig({
  main: {
    build: {
      rolldownOptions: {
        input: { index: 'electron/main.ts', 'core-host': 'electron/core-host.ts' },
      },
    },
  },
  preload: {
    build: {
      rolldownOptions: {
        input: { index: 'electron/preload.ts' },
        // A sandboxed preload cannot be an ES module.
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: 'renderer',
    base: './',
    ...preact,
    build: {
      rolldownOptions: { input: 'renderer/index.html' },
      // electron-vite leaves the renderer unminified (691 kB against 256 kB): the window would parse all of it at launch.
      minify: true,
    },
  },
});
