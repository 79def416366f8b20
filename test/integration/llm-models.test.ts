import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { clearModelInfoCache } from '../../agents/llm/model-info.ts';
import { describeProgress } from '../../cli/progress.ts';
import {
  promptTokens,
  startOllamaServer,
  type ChatRequest,
  type ChatTurn,
  type OllamaServer,
  type OllamaServerOptions,
} from '../fakes/ollama-server.ts';
import { blockIdByTitle, briefReply, isWriteCall, llmService, pickShown } from '../helpers/llm.ts';

/**
 * The app against real local models' known failures, acted out by the fake Ollama, through the real
 * @langchain/ollama client inside the real workflow.
 */
const servers: OllamaServer[] = [];
const dirs: string[] = [];
afterEach(async () => {
  // Structured output and tools in one request suppress tool calls or yield invented JSON
  // (ollama#11037): whatever the model did, no request may carry both.
  for (const server of servers) {
    expect(server.chatRequests.filter((r) => r.format !== undefined && r.tools?.length)).toEqual([]);
  }
  await Promise.all(servers.splice(0).map((s) => s.close()));
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  clearModelInfoCache();
});

const GEMMA = 'gemma3:4b';
const QWEN = 'qwen3:8b';
const CAPABILITIES = {
  [GEMMA]: ['completion', 'vision'],
  [QWEN]: ['completion', 'tools', 'thinking'],
};
const REASONING = 'SECRET-REASONING: the user has four meetings, the redlines matter most.';

async function refreshWith(
  model: string,
  respond: (request: ChatRequest, index: number) => ChatTurn,
  options: Partial<OllamaServerOptions> = {},
  llm: Parameters<typeof llmService>[1] = {},
) {
  const server = await startOllamaServer({ models: [model], capabilities: CAPABILITIES, respond, ...options });
  servers.push(server);
  const s = llmService(server.baseUrl, { model, ...llm });
  dirs.push(s.dir);
  const brief = await s.refresh();
  s.service.close();
  return { server, brief, events: s.events, log: s.log };
}

const lookOnce = (request: ChatRequest): ChatTurn =>
  request.messages.some((m) => m.role === 'tool')
    ? { content: 'Found what I needed.' }
    : { toolCalls: [{ name: 'get_item', arguments: { id: pickShown(request, 'E') } }] };

describe('a model without tools', () => {
  it('is sent no tools: the writer gets the top emails and today’s meetings in full, and the brief says why', async () => {
    const { server, brief } = await refreshWith(GEMMA, (request) => briefReply(request));
    expect(server.chatRequests).toHaveLength(1);
    expect(server.chatRequests.every((r) => !r.tools)).toBe(true);
    expect(brief.generator).toMatchObject({ mode: 'llm', model: GEMMA, steps: 0, llmCalls: 1 });
    expect(brief.generator.stopReason).toBe(
      `${GEMMA} cannot look things up (it has no tool support), so it was given the top emails and today's meetings in full instead`,
    );
    const prompt = server.chatRequests[0]?.messages.at(-1)?.content ?? '';
    const details = prompt.slice(prompt.indexOf('Details looked up before writing:'));
    expect(details).not.toBe('');
    // The top three emails' whole text, by their handles (the demo day's meetings carry no prep notes).
    expect([...details.matchAll(/⟦item id="([^"]+)"/g)].map((m) => m[1])).toEqual(['E01', 'E02', 'E03']);
    expect(details).toContain('Can you confirm sections 4.2 and 7.1 before 3pm so we can countersign today?');
    expect(brief.tldr[0]?.itemIds[0]).toBe('gmail:m-1001');
  });

  it('on a server too old to say, learns it from the 400 and goes on the same way', async () => {
    const { server, brief } = await refreshWith(GEMMA, (request) => briefReply(request), { omitCapabilities: true });
    expect(server.chatRequests.map((r) => Boolean(r.tools))).toEqual([true, false]);
    expect(brief.generator).toMatchObject({ mode: 'llm', model: GEMMA, steps: 0 });
    expect(brief.generator.stopReason).toMatch(/cannot look things up \(it has no tool support\)/);
    expect(server.chatRequests[1]?.messages.at(-1)?.content).toContain('Details looked up before writing:');
  });
});

describe('a thinking model', () => {
  const thinking =
    (turn: (request: ChatRequest) => ChatTurn) =>
    (request: ChatRequest): ChatTurn => ({ thinking: REASONING, ...turn(request) });

  it('is asked to think, and its reasoning reaches neither the brief nor the progress stream', async () => {
    const { server, brief, events } = await refreshWith(
      QWEN,
      thinking((r) => (isWriteCall(r) ? briefReply(r) : lookOnce(r))),
    );
    expect(server.chatRequests.every((r) => r.think === true)).toBe(true);
    expect(brief.generator).toMatchObject({ mode: 'llm', model: QWEN, steps: 2 });
    expect(JSON.stringify(brief)).not.toContain('SECRET-REASONING');
    expect(JSON.stringify(events)).not.toContain('SECRET-REASONING');
    // Nor is it sent back to the model as part of the conversation.
    expect(JSON.stringify(server.chatRequests.map((r) => r.messages))).not.toContain('SECRET-REASONING');
    expect(events.filter((e) => e.type === 'llm-token').length).toBeGreaterThan(5);
  });

  it('survives a server that ignores `think` and puts the reasoning inline', async () => {
    const { brief, events } = await refreshWith(
      QWEN,
      thinking((r) => (isWriteCall(r) ? briefReply(r) : lookOnce(r))),
      { ignoreThink: true },
    );
    expect(brief.generator).toMatchObject({ mode: 'llm', model: QWEN, steps: 2 });
    expect(JSON.stringify(brief)).not.toContain('SECRET-REASONING');
    expect(JSON.stringify(events)).not.toContain('SECRET-REASONING');
  });

  it('survives reasoning closed but never opened (the template opened it), and never shows it', async () => {
    const { brief, events } = await refreshWith(QWEN, (r) =>
      isWriteCall(r)
        ? { content: `${REASONING} {"draft": true}</think>\n${briefReply(r).content ?? ''}` }
        : { content: 'nothing to look up' },
    );
    expect(brief.generator).toMatchObject({ mode: 'llm', model: QWEN });
    expect(brief.generator.fallbackReason).toBeUndefined();
    expect(JSON.stringify(events)).not.toContain('SECRET-REASONING');
  });

  it('treats an answer that is all reasoning as a failed try with its reason, then retries', async () => {
    let writes = 0;
    const { server, brief } = await refreshWith(QWEN, (r) => {
      if (!isWriteCall(r)) return { content: 'ready' };
      writes++;
      return writes === 1 ? { thinking: REASONING, content: '' } : briefReply(r);
    });
    expect(brief.generator).toMatchObject({ mode: 'llm', model: QWEN, llmCalls: 3 });
    expect(server.chatRequests.at(-1)?.messages.at(-1)?.content).toBe(
      'That reply is invalid: the model spent its reply on reasoning and gave no answer. Reply again with the corrected JSON only.',
    );
  });

  it('falls back with that reason when every try is empty; an empty look-up step ends the loop, said so', async () => {
    const { brief } = await refreshWith(QWEN, () => ({ thinking: REASONING, content: '' }));
    expect(brief.generator.mode).toBe('extractive');
    expect(brief.generator.fallbackReason).toBe(
      `${QWEN}: ${QWEN} wrote an invalid brief: the model spent its reply on reasoning and gave no answer; wrote the extractive brief instead`,
    );
  });
});

describe('citations', () => {
  it('are short handles in the prompt, mapped back to item ids; exact ids still count', async () => {
    const { server, brief } = await refreshWith('llama3.2:3b', (r) =>
      isWriteCall(r)
        ? briefReply(r, { insights: [{ text: 'The redlines fall before the review.', itemIds: ['gmail:m-1001'] }] })
        : { content: 'ok' },
    );
    const write = server.chatRequests.find(isWriteCall);
    expect(JSON.stringify(write)).not.toContain('gmail:m-1001');
    expect(write && blockIdByTitle(write, 'Contract redlines')).toBe('E01');
    expect(brief.tldr.map((b) => b.itemIds[0])).toEqual(['gmail:m-1001', 'calendar:e-2001', 'rss:n-3001']);
    expect(brief.insights).toEqual([{ text: 'The redlines fall before the review.', itemIds: ['gmail:m-1001'] }]);
  });

  it('copied sloppily: a wrong case is recovered, a dropped character is rejected and retried', async () => {
    let writes = 0;
    const { server, brief } = await refreshWith('llama3.2:3b', (r) => {
      if (!isWriteCall(r)) return { content: 'ok' };
      writes++;
      const cite = writes === 1 ? 'E1' : 'e01';
      return briefReply(r, { insights: [{ text: 'The redlines fall before the review.', itemIds: [cite] }] });
    });
    expect(server.chatRequests.at(-1)?.messages.at(-1)?.content).toMatch(
      /^That reply is invalid: cites ids that are not in the input: E1\./,
    );
    expect(brief.generator).toMatchObject({ mode: 'llm', llmCalls: 3 });
    expect(brief.insights?.[0]?.itemIds).toEqual(['gmail:m-1001']);
  });
});

describe('context', () => {
  it('asks for no more than the model has, and cuts the prompt to fit it: the server never has to', async () => {
    const { server, brief } = await refreshWith(
      'llama3.2:3b',
      (r) => (isWriteCall(r) ? briefReply(r) : lookOnce(r)),
      { contextLength: 2048, overflow: 'error' },
      { contextTokens: 32768 },
    );
    expect(brief.generator).toMatchObject({ mode: 'llm' });
    expect(brief.generator.fallbackReason).toBeUndefined();
    expect(server.chatRequests.map((r) => r.options?.num_ctx)).toEqual([2048, 2048, 2048]);
    expect(server.truncatedPrompts).toBe(0);
    for (const r of server.chatRequests) {
      const sent = promptTokens([...r.messages.map((m) => m.content), r.tools ? JSON.stringify(r.tools) : '']);
      expect(sent).toBeLessThanOrEqual(2048);
    }
  });
});

describe('a cold model', () => {
  it('is loaded while the sources are fetched, says so, and stays loaded for the refresh', async () => {
    const { server, events } = await refreshWith('llama3.2:3b', (r) => (isWriteCall(r) ? briefReply(r) : lookOnce(r)), {
      loadMs: 200,
    });
    const generate = server.requests.findIndex((r) => r.path === '/api/generate');
    const firstChat = server.requests.findIndex((r) => r.path === '/api/chat');
    expect(generate).toBeGreaterThanOrEqual(0);
    expect(generate).toBeLessThan(firstChat);
    const keepAlive = server.generateRequests[0]?.keep_alive;
    expect(keepAlive).toMatch(/^\d+s$/);
    expect(server.chatRequests.every((r) => r.keep_alive === keepAlive)).toBe(true);
    // "Loading the model…" is shown from the fetch phase until it is ready.
    const kinds = events.map((e) => (e.type === 'model-load' ? `load:${e.state}` : e.type === 'phase' ? e.phase : ''));
    expect(kinds.indexOf('fetch')).toBeLessThan(kinds.indexOf('load:loading'));
    expect(kinds.indexOf('load:loading')).toBeLessThan(kinds.indexOf('load:ready'));
    expect(kinds.indexOf('load:ready')).toBeLessThan(kinds.indexOf('reason'));
    expect(events.map(describeProgress)).toContain('Loading the model…');
  });
});
