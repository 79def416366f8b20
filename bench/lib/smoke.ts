/**
 * `BENCH_SMOKE=1`: the small mode that CI runs (bench/smoke.test.ts), so a broken benchmark fails the build.
 * A few items and one run, but the same code paths and the same real services (Chroma, Chromium) as the full run.
 */
export const SMOKE = process.env.BENCH_SMOKE === '1';

/** The full-run size, or the smoke-mode one. */
export function sized<T>(full: T, smoke: T): T {
  return SMOKE ? smoke : full;
}

/** A size from the environment when set (BENCH_RUNS=…), else the full or smoke default. */
export function sizeFromEnv(name: string, full: number, smoke: number): number {
  const raw = process.env[name];
  return raw ? Number(raw) : sized(full, smoke);
}
