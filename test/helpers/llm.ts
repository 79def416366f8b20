import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoConnectors, demoSettings } from '../../connectors/demo/demo.ts';
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

/** Item ids the request showed the model, in order. */
export function idsInRequest(request: ChatRequest): string[] {
  const text = request.messages.map((m) => m.content).join('\n');
  return [...text.matchAll(/⟦item id="([^"]+)"/g)].map((m) => m[1] ?? '');
}

/** A valid brief for the demo day that cites only what the request contained. */
export function briefReply(request: ChatRequest, overrides: Record<string, unknown> = {}): ChatTurn {
  const ids = idsInRequest(request);
  const pick = (prefix: string) => ids.find((id) => id.startsWith(prefix)) ?? ids[0] ?? 'none';
  const body = {
    tldr: [
      { text: 'Confirm sections 4.2 and 7.1 of the Northwind redlines before 15:00.', itemIds: [pick('gmail:')] },
      { text: 'Four meetings today, starting with the 09:30 stand-up.', itemIds: [pick('calendar:')] },
      { text: 'The central bank held rates at 4.25% and signalled two cuts.', itemIds: [pick('rss:')] },
    ],
    summary:
      'Legal returned the Northwind redlines and needs your answer by 15:00. The renewal review at 11:00 is the place to settle it. Rates were held at 4.25% with two cuts pencilled in. Chip stocks lifted the index 1.2%.',
    actionItems: [{ text: 'Confirm sections 4.2 and 7.1', itemIds: [pick('gmail:')], due: 'today 15:00' }],
    insights: [
      {
        text: 'The redlines deadline falls after the 11:00 renewal review.',
        itemIds: [pick('gmail:'), pick('calendar:')],
      },
    ],
    whyItMatters: [{ itemId: pick('gmail:'), text: 'Countersigning slips a day if you miss 15:00.' }],
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
export function llmService(baseUrl: string, llm: SettingsInput['llm'] = {}, dataDir?: string) {
  const log = memoryLogger();
  const events: ProgressEvent[] = [];
  const dir = dataDir ?? mkdtempSync(join(tmpdir(), 'db-llm-'));
  const service = new BriefService({
    dataDir: dir,
    clock: fixedClock(MORNING),
    settings: llmSettings(baseUrl, llm),
    connectors: demoConnectors(),
    log,
  });
  const refresh = () => service.refresh({ trigger: 'test', onProgress: (e) => events.push(e) });
  return { service, log, events, dir, refresh };
}
