/**
 * `npm run bench:ui`: how fast the app shows a cached brief, through `daily-brief serve`.
 *
 * 1. Navigation start to the TL;DR on screen, in Debian's Chromium (headless), over 10 loads after a first, cold one
 *    (printed too): the renderer marks `brief-tldr-visible` when the TL;DR list first renders (target ≤ 300 ms
 *    median). Later loads reuse the browser's cache of the hashed assets, as reopening the app does.
 * 2. The latency of `brief/latest` over HTTP from Node, keep-alive, 200 calls after 20 warm-ups (target ≤ 5 ms median).
 *
 * BENCH_SMOKE=1: 2 loads and 20 calls, with the same `serve` and the same Chromium.
 *
 * It prints figures and asserts nothing about them; it exits 1 only if it could not measure.
 */
import { performance } from 'node:perf_hooks';
import { launchChromium, startAppFixture } from '../test/helpers/app-fixture.ts';
import { sized } from './lib/smoke.ts';
import { quantile } from './lib/stats.ts';

const LOADS = sized(10, 2);
const CALLS = sized(200, 20);
const WARM_UP_CALLS = sized(20, 5);

const app = await startAppFixture();
const browser = await launchChromium().catch(async (error: unknown) => {
  await app.close();
  throw error;
});
try {
  const page = await browser.newPage();
  const loads: number[] = [];
  let cold = NaN;
  for (let i = 0; i <= LOADS; i++) {
    // From a blank page: the app's own address differs from the last only in its fragment, which a browser treats
    // as a move within the same document, not a load.
    await page.goto('about:blank');
    await page.goto(app.url);
    await page.getByTestId('brief-tldr').waitFor();
    const visibleAt = await page.evaluate<number>(
      "performance.getEntriesByName('brief-tldr-visible')[0]?.startTime ?? NaN",
    );
    if (!Number.isFinite(visibleAt)) throw new Error('the page did not mark brief-tldr-visible');
    if (i > 0) loads.push(visibleAt);
    else cold = visibleAt;
  }

  const call = async () => {
    const response = await fetch(`${app.origin}/api/brief/latest`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-daily-brief-token': app.token },
      body: '{}',
    });
    const body = (await response.json()) as { ok: boolean };
    if (!body.ok) throw new Error('brief/latest failed');
  };
  for (let i = 0; i < WARM_UP_CALLS; i++) await call();
  const latencies: number[] = [];
  for (let i = 0; i < CALLS; i++) {
    const start = performance.now();
    await call();
    latencies.push(performance.now() - start);
  }

  const ms = (value: number) => `${value.toFixed(1)} ms`;
  process.stdout.write(
    [
      `navigation start → TL;DR visible (Chromium via serve, ${LOADS} loads): median ${ms(quantile(loads, 0.5))}, ` +
        `min ${ms(Math.min(...loads))}, max ${ms(Math.max(...loads))} (target ≤ 300 ms median); first, cold load ${ms(cold)}`,
      `brief/latest over HTTP (${CALLS} calls after ${WARM_UP_CALLS} warm-ups, keep-alive): median ${ms(quantile(latencies, 0.5))}, ` +
        `p95 ${ms(quantile(latencies, 0.95))} (target ≤ 5 ms median)`,
      '',
    ].join('\n'),
  );
} finally {
  await browser.close();
  await app.close();
}
