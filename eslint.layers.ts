// The layers of the app, enforced: an import (static, type-only, re-export or dynamic) may point only down.
//
//   front ends   cli/  electron/  renderer/      renderer: the contract only (no Node)
//   contract/    call schemas, results, events, error codes, envelope
//   app/         runtime, dispatch, service, doctor, accounts, preferences, serve
//   agents/      workflow, reasoner, llm, memory, ranking, preferences model, brief writers
//   connectors/  one module per source
//   core/        kernel: types, errors, clock, log, http, settings, store, secrets
//
// Tests, fakes, benchmarks and evals sit outside the layers and may use anything.

import type { Linter } from 'eslint';

const LAYERS = ['core', 'connectors', 'agents', 'contract', 'app', 'cli', 'electron', 'renderer'] as const;
type Layer = (typeof LAYERS)[number];

/** What each layer may import besides itself. */
export const MAY_IMPORT: Record<Layer, readonly Layer[]> = {
  core: [],
  connectors: ['core'],
  agents: ['core', 'connectors'],
  contract: ['core'],
  app: ['core', 'connectors', 'agents', 'contract'],
  cli: ['core', 'contract', 'app'],
  electron: ['core', 'contract', 'app'],
  renderer: ['contract'],
};

const TESTS = ['**/*.test.ts', '**/*.test.tsx', '**/test/**'];

function blocked(layer: Layer): Layer[] {
  return LAYERS.filter((other) => other !== layer && !MAY_IMPORT[layer].includes(other));
}

export const layerRules: Linter.Config[] = LAYERS.map((layer): Linter.Config => {
  const forbidden = blocked(layer);
  const message = `${layer}/ may import only ${[layer, ...MAY_IMPORT[layer]].join(', ')} (layers point down; see DEVELOPERS.md)`;
  // esquery's regex literal: '/' escaped.
  const dynamic = `(^|\\/)(${forbidden.join('|')})\\/`;
  return {
    files: [`${layer}/**/*.{ts,tsx,js}`],
    ignores: TESTS,
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: forbidden.flatMap((dir) => [`**/${dir}/**`, `${dir}/**`]), message },
            ...(layer === 'renderer'
              ? [{ group: ['node:*'], message: 'The renderer runs in a browser: no Node modules.' }]
              : []),
          ],
          // Only electron/ may touch Electron; everything else must run in plain Node.
          ...(layer === 'electron'
            ? {}
            : { paths: [{ name: 'electron', message: 'Only electron/ may touch Electron.' }] }),
        },
      ],
      'no-restricted-syntax': ['error', { selector: `ImportExpression[source.value=/${dynamic}/]`, message }],
    },
  };
});
