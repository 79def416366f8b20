import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoConnectors, demoSettings } from '../../connectors/demo/demo.ts';
import type { Connector } from '../../connectors/types.ts';
import { fixedClock } from '../../core/clock.ts';
import { memoryLogger } from '../../core/log.ts';
import { BriefService } from '../../app/service.ts';
import { parseSettings, type SettingsInput } from '../../core/settings.ts';
import type { ProgressEvent } from '../../core/types.ts';
import type { ChatRequest, ChatTurn } from '../fakes/ollama-server.ts';

/** The morning of the demo day, in Berlin. */
export const MORNING = '2026-12-01T06:00:00.000Z';

export function isWriteCall(request: ChatRequest): boolean {
  return request.format !== undefined;
}

/** The block ids (citation handles such as E01, C01, N01) the request showed the model, in order. */
export function idsInRequest(request: ChatRequest): string[] {
  const text = request.messages.map((m) => m.content).join('\n');
  return [...text.matchAll(/⟦item id="([^"]+)"/g)].map((m) => m[1] ?? '');
}

/** The id the request shows for the block whose title line starts with `title`. */
export function blockIdByTitle(request: ChatRequest, title: string): string | undefined {
  const text = request.messages.map((m) => m.content).join('\n');
  for (const m of text.matchAll(/⟦item id="([^"]+)"[^\n]*\ntitle: ([^\n]*)/g)) {
    if (m[2]?.startsWith(title)) return m[1];
  }
  return undefined;
}

/** A block id of a kind shown in the request: E (email), C (calendar), N (news), W (weather). */
export function pickShown(request: ChatRequest, kind: 'E' | 'C' | 'N' | 'W'): string {
  const ids = idsInRequest(request);
  return ids.find((id) => id.startsWith(kind)) ?? ids[0] ?? 'none';
}

/** A valid brief for the demo day that cites only what the request contained. */
export function briefReply(request: ChatRequest, overrides: Record<string, unknown> = {}): ChatTurn {
  const pick = (kind: 'E' | 'C' | 'N') => pickShown(request, kind);
  const body = {
    tldr: [
      { text: 'Confirm sections 4.2 and 7.1 of the Northwind redlines before 15:00.', itemIds: [pick('E')] },
      { text: 'Four meetings today, starting with the 09:30 stand-up.', itemIds: [pick('C')] },
      { text: 'The central bank held rates at 4.25% and signalled two cuts.', itemIds: [pick('N')] },
    ],
    summary:
      'Legal returned the Northwind redlines and needs your answer by 15:00. The renewal review at 11:00 is the place to settle it. Rates were held at 4.25% with two cuts pencilled in. Chip stocks lifted the index 1.2%.',
    actionItems: [{ text: 'Confirm sections 4.2 and 7.1', itemIds: [pick('E')], due: 'today 15:00' }],
    insights: [
      {
        text: 'The redlines deadline falls after the 11:00 renewal review.',
        itemIds: [pick('E'), pick('C')],
      },
    ],
    whyItMatters: [{ itemId: pick('E'), text: 'Countersigning slips a day if you miss 15:00.' }],
    ...overrides,
  };
  return { content: JSON.stringify(body) };
}

export function llmSettings(baseUrl: string, llm: SettingsInput['llm'] = {}) {
  const demo = demoSettings();
  return {
    ...demo,
    settings: parseSettings({
      location: { name: 'Sample City', latitude: 52.52, longitude: 13.405, timezone: 'Europe/Berlin' },
      llm: { baseUrl, model: 'llama3.2:3b', timeoutMs: 5000, ...llm },
    }),
  };
}

/** A service over the demo connectors with the LLM pointed at a fake server. */
export function llmService(
  baseUrl: string,
  llm: SettingsInput['llm'] = {},
  dataDir?: string,
  connectors: Connector[] = demoConnectors(),
) {
  const log = memoryLogger();
  const events: ProgressEvent[] = [];
  const dir = dataDir ?? mkdtempSync(join(tmpdir(), 'db-llm-'));
  const service = new BriefService({
    dataDir: dir,
    clock: fixedClock(MORNING),
    settings: llmSettings(baseUrl, llm),
    connectors,
    log,
  });
  const refresh = () => service.refresh({ trigger: 'test', onProgress: (e) => events.push(e) });
  return { service, log, events, dir, refresh };
}
