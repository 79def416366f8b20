import { ESLint, type Linter } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';
import { layerRules } from '../../eslint.layers.ts';

// The project's own config, a plain JS module with no types of its own.
const CONFIG = '../../eslint.config.js';
const config = ((await import(CONFIG)) as { default: Linter.Config[] }).default;

/** The layer rules alone (no type information needed), on code that is never written to disk. */
function linter(): ESLint {
  return new ESLint({
    cwd: process.cwd(),
    overrideConfigFile: true,
    overrideConfig: [
      {
        files: ['**/*.{ts,tsx}'],
        languageOptions: { parser: tseslint.parser },
        plugins: { '@typescript-eslint': tseslint.plugin },
      },
      ...layerRules,
    ],
  });
}

async function problems(file: string, code: string): Promise<string[]> {
  const [result] = await linter().lintText(code, { filePath: file });
  return (result?.messages ?? []).map((m) => `${m.ruleId ?? ''}: ${m.message}`);
}

describe('the layer rules', () => {
  it('are part of the project’s lint config', () => {
    for (const rule of layerRules) expect(config).toContain(rule);
  });

  it.each([
    ['core/x.ts', "import { runBriefWorkflow } from '../agents/workflow/run.ts';"],
    ['core/store/x.ts', "import type { Candidate } from '../../agents/ranking/personal.ts';"],
    ['core/x.ts', "export { allConnectors } from '../connectors/registry.ts';"],
    ['core/x.ts', "const { AppRuntime } = await import('../app/runtime.ts');"],
    ['connectors/x.ts', "import { rankCandidates } from '../agents/ranking/personal.ts';"],
    ['agents/x/y.ts', "import type { BriefService } from '../../app/service.ts';"],
    ['contract/x.ts', "import type { BriefService } from '../app/service.ts';"],
    ['app/x.ts', "import { main } from '../cli/program.ts';"],
    ['cli/x.ts', "import { allConnectors } from '../connectors/registry.ts';"],
    ['renderer/src/x.ts', "import type { Brief } from '../../core/types.ts';"],
    ['renderer/src/x.ts', "import { readFileSync } from 'node:fs';"],
    ['agents/x.ts', "import { app } from 'electron';"],
  ])('refuse an upward import in %s: %s', async (file, code) => {
    const found = await problems(file, code);
    expect(found.length, found.join('\n')).toBe(1);
    expect(found[0]).toMatch(/may import only|no Node modules|Only electron/);
  });

  it.each([
    ['core/x.ts', "import { AppError } from './errors.ts';"],
    ['agents/x/y.ts', "import type { Connector } from '../../connectors/types.ts';"],
    ['app/x.ts', "const { runBriefWorkflow } = await import('../agents/workflow/run.ts');"],
    ['cli/x.ts', "import { AppRuntime } from '../app/runtime.ts';"],
    ['renderer/src/x.ts', "import type { Api } from '../../contract/calls.ts';"],
    ['electron/x.ts', "import { app } from 'electron';"],
    ['core/x.test.ts', "import { runBriefWorkflow } from '../agents/workflow/run.ts';"],
  ])('allow a downward one in %s: %s', async (file, code) => {
    expect(await problems(file, code)).toEqual([]);
  });
});
