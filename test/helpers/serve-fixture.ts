import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoConnectors, demoSettings } from '../../connectors/demo/demo.ts';
import type { Connector } from '../../connectors/types.ts';
import { createDispatch } from '../../app/dispatch.ts';
import { createHandlers } from '../../app/api.ts';
import type { Clock } from '../../core/clock.ts';
import { memoryLogger } from '../../core/log.ts';
import { startServe, type RunningServer } from '../../app/serve/server.ts';
import { BriefService } from '../../app/service.ts';
import type { LoadedSettings } from '../../core/settings.ts';

export interface ServeFixture {
  dataDir: string;
  service: BriefService;
  server: RunningServer;
  /** `http://127.0.0.1:PORT`, without the token. */
  baseUrl: string;
  /** Moves the service's clock (briefs on other days). */
  setNow(iso: string): void;
  close(): Promise<void>;
}

/**
 * A real service on a temporary data directory behind a real `serve` HTTP server on loopback: the sample
 * day's connectors unless a test gives its own, no model, the in-database memory.
 */
export async function startServeFixture(
  options: {
    connectors?: Connector[];
    settings?: LoadedSettings;
    now?: string;
    rendererDir?: string;
    /** Where to listen; loopback unless a test needs every interface. */
    host?: string;
  } = {},
): Promise<ServeFixture> {
  const dataDir = mkdtempSync(join(tmpdir(), 'db-serve-'));
  let now = new Date(options.now ?? '2026-12-01T06:00:00.000Z');
  const clock: Clock = { now: () => new Date(now) };
  const demo = demoSettings();
  const settings: LoadedSettings = options.settings ?? {
    ...demo,
    // A fixed zone, so dates and times on screen do not depend on the machine's.
    settings: {
      ...demo.settings,
      location: { ...demo.settings.location, timezone: 'UTC' },
      llm: { ...demo.settings.llm, provider: 'none' },
    },
  };
  const service = new BriefService({
    dataDir,
    clock,
    settings,
    connectors: options.connectors ?? demoConnectors(),
    log: memoryLogger(),
  });
  let rendererDir = options.rendererDir;
  if (!rendererDir) {
    rendererDir = join(dataDir, 'renderer');
    mkdirSync(join(rendererDir, 'assets'), { recursive: true });
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>t</title>');
    writeFileSync(join(rendererDir, 'assets', 'app.js'), 'export {};');
  }
  const server = await startServe({
    dispatch: createDispatch(createHandlers(service)),
    subscribe: (listener) => service.watch(listener),
    rendererDir,
    host: options.host ?? '127.0.0.1',
    port: 0,
  });
  return {
    dataDir,
    service,
    server,
    baseUrl: `http://127.0.0.1:${server.port}`,
    setNow: (iso) => {
      now = new Date(iso);
    },
    close: async () => {
      await server.close();
      service.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
