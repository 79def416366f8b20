import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * Every benchmark and evaluation, run as `npm run …` with BENCH_SMOKE=1 (a few items, one run, the same real
 * services), so one that no longer runs fails CI. Only that they ran is checked: exit code 0 and each figure's
 * label printed. The figures themselves are timings on a shared machine and never asserted.
 * bench:ui needs the built renderer (test/setup/renderer.ts) and Chromium; bench:memory starts its own Chroma.
 */

const ROOT = fileURLToPath(new URL('..', import.meta.url));

interface Run {
  code: number | null;
  output: string;
  ms: number;
}

function npmRun(script: string): Promise<Run> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn('npm', ['run', '--silent', script], {
      cwd: ROOT,
      env: { ...process.env, BENCH_SMOKE: '1', NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      resolve({ code, output, ms: performance.now() - started });
    });
  });
}

/** The label of each figure a benchmark prints, in order. */
const FIGURES: Record<string, RegExp[]> = {
  'bench:fetch': [
    /run 1: fetch phase \d+ ms, slowest source \d+ ms \(ratio [\d.]+\)/,
    /\[rss \d+ ms, hackernews \d+ ms, weather \d+ ms, gmail \d+ ms, calendar \d+ ms\]/,
    /fetch phase \/ slowest source: median ratio [\d.]+/,
    /daily-brief show \(whole process, median of 3\): \d+ ms/,
    /bare node -e 0 \(whole process, median of 3\): \d+ ms/,
    /show \/ bare node: ratio [\d.]+/,
  ],
  'bench:llm': [
    /refresh 1 \(new day\): wall \d+ ms/,
    /generator: mode=llm .*cached=false/,
    /refresh 2 \(unchanged inputs\): wall \d+ ms/,
    /generator: mode=llm .*cached=true/,
    /LLM calls 0 \(target 0\)/,
  ],
  'bench:memory': [
    /store\.upsertItems: 300 items in [\d.]+ s/,
    /sqlite-vec:\n {2}ingest .*: 300 items in [\d.]+ s/,
    /chroma: bundled server.*\n {2}ingest .*: 300 items in [\d.]+ s/,
    /search \(hybrid, 20 filtered queries, limit 10\): p50 [\d.]+ ms, p95 [\d.]+ ms(.|\n)*search \(hybrid/,
    /vectors\.query \(k 10, same filters\): p50 [\d.]+ ms(.|\n)*vectors\.query/,
    /re-ingest of the same 300 items: \d+ embed calls(.|\n)*re-ingest of the same 300 items/,
  ],
  'bench:ui': [
    /navigation start → TL;DR visible \(Chromium via serve, 2 loads\): median [\d.]+ ms/,
    /first, cold load [\d.]+ ms/,
    /brief\/latest over HTTP \(20 calls after 5 warm-ups, keep-alive\): median [\d.]+ ms/,
  ],
  'bench:feedback': [
    /vote → re-ranked brief stored .*: median [\d.]+ ms, p95 [\d.]+ ms/,
    /rebuild the model from a 200-event log: median [\d.]+ ms/,
  ],
  'eval:brief': [
    /Brief evaluation: \d+ news items over \d+ days/,
    /clusters \(text method, no embedding model\): pair precision [\d.]+/,
    /repeats: \d+ of \d+ unchanged repeats in a lead position/,
    /meeting prep: recall@3 [\d.]+/,
    /deadlines: precision [\d.]+/,
    /unsupported lines: precision [\d.]+/,
  ],
  'eval:ranking': [
    /Ranking evaluation: \d+ items over 12 days, 3 simulated users/,
    /\n {3}25 {6}[\d.]+ /,
    /target NDCG@5 ≥ 0\.90 after 25 votes: [\d.]+/,
    /target higher after 50 votes than after 25: [\d.]+ vs [\d.]+/,
    /replay: \d+ of \d+ scores identical/,
    /exploration: \d+ stories shown to learn/,
  ],
};

describe('every benchmark runs in its small mode (BENCH_SMOKE=1)', () => {
  it('covers every bench:* and eval:* script in package.json', () => {
    const { scripts } = JSON.parse(readFileSync(`${ROOT}/package.json`, 'utf8')) as { scripts: Record<string, string> };
    const benches = Object.keys(scripts).filter((name) => /^(bench|eval):/.test(name));
    expect(Object.keys(FIGURES).sort()).toEqual(benches.sort());
  });

  it.each(Object.keys(FIGURES))('npm run %s', { timeout: 120_000 }, async (script) => {
    const run = await npmRun(script);
    console.log(`${script}: ${(run.ms / 1000).toFixed(1)} s\n${run.output}`);
    expect(run.code, run.output).toBe(0);
    for (const figure of FIGURES[script] ?? []) expect(run.output).toMatch(figure);
  });
});
