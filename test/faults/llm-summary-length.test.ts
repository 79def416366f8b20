import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { countSentences } from '../../agents/brief/llm-output.ts';
import { startOllamaServer, type ChatRequest, type ChatTurn, type OllamaServer } from '../fakes/ollama-server.ts';
import { briefReply, isWriteCall, llmService } from '../helpers/llm.ts';

/**
 * Issue 12 item 17, through the real workflow and the real Ollama client: a model brief whose summary is the
 * wrong length keeps its cited TL;DR, action items and insights, and says what was cut or dropped.
 */
const servers: OllamaServer[] = [];
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Sentences the grounding check lets through: each names only what the cited mail says. */
const SENTENCES = [
  'Legal returned the Northwind redlines.',
  'They need your answer by 15:00.',
  'The renewal review is at 11:00.',
  'Rates were held at 4.25%.',
  'Two cuts were signalled.',
  'Chip stocks lifted the index 1.2%.',
  'Legal is waiting.',
  'Northwind is waiting too.',
];

async function refreshWithSummary(summary: string) {
  const server = await startOllamaServer({
    respond: (request: ChatRequest): ChatTurn =>
      isWriteCall(request) ? briefReply(request, { summary }) : { content: 'nothing to look up' },
  });
  servers.push(server);
  const s = llmService(server.baseUrl);
  dirs.push(s.dir);
  const brief = await s.refresh();
  s.service.close();
  return { brief, writes: server.chatRequests.filter(isWriteCall).length };
}

describe('fault: a summary of the wrong length (issue 12 item 17)', () => {
  it('cuts an 8-sentence summary to 6 and keeps the model brief, in one call', async () => {
    const { brief, writes } = await refreshWithSummary(SENTENCES.join(' '));
    expect(brief.generator.mode).toBe('llm');
    expect(brief.generator.fallbackReason).toBeUndefined();
    expect(brief.generator.repairs).toEqual(['summary cut from 8 to 6 sentences']);
    expect(countSentences(brief.summary ?? '')).toBeLessThanOrEqual(6);
    expect(brief.summary).not.toMatch(/waiting/);
    expect(brief.tldr[0]?.text).toBe('Confirm sections 4.2 and 7.1 of the Northwind redlines before 15:00.');
    expect(brief.actionItems?.map((a) => a.text)).toEqual(['Confirm sections 4.2 and 7.1']);
    // Nothing to retry for: the repair is ours, not the model's.
    expect(writes).toBe(1);
  });

  it('drops a 2-sentence summary and keeps the cited TL;DR and actions', async () => {
    const { brief, writes } = await refreshWithSummary(SENTENCES.slice(0, 2).join(' '));
    expect(brief.generator.mode).toBe('llm');
    expect(brief.generator.repairs).toEqual(['summary dropped: 2 sentences, not 4 to 6']);
    expect(brief.summary).toBeUndefined();
    expect(brief.tldr).toHaveLength(3);
    expect(brief.tldr[0]?.text).toMatch(/Northwind redlines/);
    expect(brief.actionItems).toHaveLength(1);
    expect(brief.insights).toHaveLength(1);
    expect(writes).toBe(1);
  });
});
