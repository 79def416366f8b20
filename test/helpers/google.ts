import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixedClock } from '../../core/clock.ts';
import { silentLogger } from '../../core/log.ts';
import { BriefService } from '../../app/service.ts';
import type { FakeGoogle } from '../fakes/google-server.ts';

/** A data folder set up for the fake Google: the client JSON, settings pointing at it, other sources off. */
export function googleDataDir(
  fake: FakeGoogle,
  extra: Record<string, unknown> = {},
): { dir: string; stateDir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'db-google-'));
  const stateDir = mkdtempSync(join(tmpdir(), 'db-google-state-'));
  writeFileSync(
    join(dir, 'google-client.json'),
    JSON.stringify({
      installed: { client_id: fake.clientId, client_secret: fake.clientSecret, redirect_uris: ['http://localhost'] },
    }),
    // Private from the start, as the app keeps its folder: no one-time "made … private" notice in the output.
    { mode: 0o600 },
  );
  const settings = {
    location: { name: 'Berlin', latitude: 52.52, longitude: 13.405, timezone: 'Europe/Berlin' },
    google: {
      authUrl: `${fake.baseUrl}/o/oauth2/v2/auth`,
      tokenUrl: `${fake.baseUrl}/token`,
      apiRootUrl: `${fake.baseUrl}/`,
    },
    secrets: { allowFileStore: true },
    sources: { rss: { enabled: false }, hackernews: { enabled: false }, weather: { enabled: false } },
    llm: { provider: 'none' },
    ...extra,
  };
  writeFileSync(join(dir, 'settings.json'), JSON.stringify(settings), { mode: 0o600 });
  return { dir, stateDir };
}

export function googleService(dir: string, at: string): BriefService {
  return new BriefService({ dataDir: dir, clock: fixedClock(at), memory: false, log: silentLogger });
}

/** The whole consent as a browser would do it: open the URL, follow Google's redirect to the loopback. */
export async function connectAs(service: BriefService, fake: FakeGoogle, address: string): Promise<string> {
  fake.consentAs = address;
  const result = await service.accounts.connect({
    openBrowser: false,
    onConsentUrl: (url) => {
      void fetch(url);
    },
  });
  return result.address;
}
