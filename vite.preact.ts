import type { UserConfig } from 'vite';

/**
 * The renderer is written against React's API and runs on Preact through preact/compat: the same components in a
 * 57 kB bundle instead of 259 kB, which the window parses before it can show the brief (see DEVELOPERS.md).
 * Shared by the renderer's own build, the desktop build and the tests, so all three run the same code.
 */
export const preact = {
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  resolve: {
    alias: [
      { find: /^react$/, replacement: 'preact/compat' },
      { find: /^react-dom\/client$/, replacement: 'preact/compat/client' },
      { find: /^react-dom$/, replacement: 'preact/compat' },
      { find: /^react\/jsx-runtime$/, replacement: 'preact/jsx-runtime' },
    ],
  },
} satisfies UserConfig;
