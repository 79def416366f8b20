import { defineConfig } from 'electron-vite';

// electron-vite layout: main (with the core's utilityProcess entry), preload, and the renderer in
// renderer/. Dependencies stay in node_modules (externalized), so native modules load from disk.
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rolldownOptions: {
        input: { index: 'electron/main.ts', 'core-host': 'electron/core-host.ts' },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rolldownOptions: {
        input: { index: 'electron/preload.ts' },
        // A sandboxed preload cannot be an ES module.
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: 'renderer',
    build: {
      outDir: 'out/renderer',
      rolldownOptions: { input: 'renderer/index.html' },
    },
  },
});
