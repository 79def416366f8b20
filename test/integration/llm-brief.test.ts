import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { startOllamaServer, type ChatRequest, type ChatTurn, type OllamaServer } from '../fakes/ollama-server.ts';
import { blockIdByTitle, briefReply, idsInRequest, isWriteCall, llmService } from '../helpers/llm.ts';

/**
 * The LLM layer end to end: the real @langchain/ollama client inside the real workflow, against a
 * fake Ollama that speaks the real API (NDJSON streaming, tool_calls, /api/tags).
 */
const servers: OllamaServer[] = [];
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function ollama(respond: (request: ChatRequest, index: number) => ChatTurn, models = ['llama3.2:3b']) {
  const server = await startOllamaServer({ models, respond });
  servers.push(server);
  return server;
}

function setup(server: OllamaServer, llm: Parameters<typeof llmService>[1] = {}) {
  const s = llmService(server.baseUrl, llm);
  dirs.push(s.dir);
  return s;
}

/** Reasoner: read the urgent email once, then stop; writer: a valid brief. */
const lookOnceThenWrite = (request: ChatRequest): ChatTurn => {
  if (isWriteCall(request)) return briefReply(request);
  const looked = request.messages.some((m) => m.role === 'tool');
  return looked
    ? { content: 'The redlines are due at 15:00 (gmail:m-1001).' }
    : { toolCalls: [{ name: 'get_item', arguments: { id: 'gmail:m-1001' } }] };
};

describe('LLM brief', () => {
  it('reasons with a tool, then writes a cited brief, with calls and tokens counted from Ollama', async () => {
    const server = await ollama(lookOnceThenWrite);
    const { service, refresh, events } = setup(server);
    const brief = await refresh();
    service.close();

    expect(brief.generator).toMatchObject({ mode: 'llm', model: 'llama3.2:3b', llmCalls: 3, steps: 2 });
    expect(brief.generator.fallbackReason).toBeUndefined();
    // Every line's names, figures and times are in what it cites; the insight on the 11:00 review cited the
    // stand-up, so it is re-cited to the review.
    expect(brief.generator.unsupportedLines).toEqual({ checked: 10, recited: 1, dropped: 0 });
    expect(brief.insights?.[0]?.itemIds).toContain('calendar:e-2002');
    const prompt = server.chatRequests.reduce(
      (sum, r) =>
        sum +
        Math.ceil((r.messages.map((m) => m.content).join('') + (r.tools ? JSON.stringify(r.tools) : '')).length / 4),
      0,
    );
    expect(brief.generator.promptTokens).toBe(prompt);
    expect(brief.generator.completionTokens).toBeGreaterThan(0);

    // TLDR: email, then calendar, then markets; every line cites input ids.
    expect(brief.tldr.map((b) => b.itemIds[0])).toEqual(['gmail:m-1001', 'calendar:e-2001', 'rss:n-3001']);
    expect(brief.summary).toMatch(/^Legal returned the Northwind redlines/);
    expect(brief.actionItems).toEqual([
      { text: 'Confirm sections 4.2 and 7.1', itemIds: ['gmail:m-1001'], due: 'today 15:00' },
    ]);
    const email = brief.sections.find((s) => s.kind === 'email')?.items.find((i) => i.id === 'gmail:m-1001');
    expect(email?.why).toBe('Countersigning slips a day if you miss 15:00.');

    // The tool's answer reached the writer, inside a data block.
    const write = server.chatRequests.at(-1);
    expect(write && isWriteCall(write)).toBe(true);
    // The tool was asked by the item's own id; the details show it by its handle, as the digest does.
    const handle = write && blockIdByTitle(write, 'Contract redlines');
    expect(handle).toMatch(/^E\d{2}$/);
    const sent = write?.messages.at(-1)?.content ?? '';
    expect(sent).toMatch(new RegExp(`Details looked up before writing:\\n[^]*⟦item id="${handle ?? ''}"`));
    // So did what was prepared for today's meeting, as a note (by handles too) and the related email's data block.
    expect(sent).toMatch(
      /Before the meeting "Northwind renewal review" \(C\d{2}\): Contract redlines needed by 3pm today/,
    );
    // The reasoner was offered exactly the read-only tools.
    expect(server.chatRequests[0]?.tools?.map((t) => t.function.name)).toEqual([
      'search_memory',
      'get_item',
      'list_items',
    ]);

    // Progress: reasoning steps and the brief streamed while written.
    expect(events.flatMap((e) => (e.type === 'llm-step' ? [e.toolCalls] : []))).toEqual([['get_item'], []]);
    const streamed = events.flatMap((e) => (e.type === 'llm-token' ? [e.text] : [])).join('');
    expect(streamed).toBe(briefReply(write as ChatRequest).content);
    expect(events.filter((e) => e.type === 'llm-token').length).toBeGreaterThan(10);
  });

  it('makes no LLM call at all when nothing changed since the last brief', async () => {
    const server = await ollama(lookOnceThenWrite);
    const { service, refresh } = setup(server);
    const first = await refresh();
    const calls = server.calls.chat;
    const second = await refresh();
    service.close();
    expect(server.calls.chat).toBe(calls);
    expect(second.generator).toMatchObject({ mode: 'llm', llmCalls: 0, promptTokens: 0, cached: true });
    expect(second.summary).toBe(first.summary);
    expect(second.id).not.toBe(first.id);
  });

  it('names the exact `ollama pull` when the model is missing, and uses the next model in the chain', async () => {
    const server = await ollama(lookOnceThenWrite, ['mistral:7b']);
    const { service, refresh } = setup(server, { fallbacks: [{ provider: 'ollama', model: 'mistral:7b' }] });
    const brief = await refresh();
    service.close();
    expect(brief.generator).toMatchObject({ mode: 'llm', model: 'mistral:7b' });
    expect(brief.generator.fallbackReason).toBe(
      'llama3.2:3b: the model "llama3.2:3b" is not installed in Ollama. Run `ollama pull llama3.2:3b`, or pick an installed one in llm.model',
    );
    expect(server.chatRequests.every((r) => r.model === 'mistral:7b')).toBe(true);
  });

  it('still writes the brief, extractively, when Ollama is down', async () => {
    const server = await ollama(lookOnceThenWrite);
    const { baseUrl } = server;
    await server.close();
    servers.splice(0);
    const { service, refresh } = setup({ baseUrl } as OllamaServer);
    const brief = await refresh();
    service.close();
    expect(brief.generator).toMatchObject({ mode: 'extractive', model: null, llmCalls: 0 });
    expect(brief.generator.fallbackReason).toMatch(
      /^llama3\.2:3b: Ollama is not reachable at http:\/\/127\.0\.0\.1:\d+\. Start it with `ollama serve`/,
    );
    expect(brief.tldr).toHaveLength(3);
  });

  it('gives up on a reply that stalls mid-stream and falls back', async () => {
    const server = await ollama((request) =>
      isWriteCall(request) ? { ...briefReply(request), hangAfterChunks: 3 } : { content: 'nothing to look up' },
    );
    const { service, refresh } = setup(server, { timeoutMs: 1000 });
    const brief = await refresh();
    service.close();
    expect(brief.generator.mode).toBe('extractive');
    expect(brief.generator.fallbackReason).toMatch(/llama3\.2:3b: the model did not finish within 1000 ms/);
    expect(brief.generator.llmCalls).toBe(1);
    // The stalled request was closed, not left hanging.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(server.calls.droppedStreams).toBe(1);
  });

  it('retries once, quoting the error, when the JSON is malformed', async () => {
    let writes = 0;
    const server = await ollama((request) => {
      if (!isWriteCall(request)) return { content: 'ready' };
      writes++;
      return writes === 1 ? { content: '{"tldr": [ oops }' } : briefReply(request);
    });
    const { service, refresh } = setup(server);
    const brief = await refresh();
    service.close();
    expect(brief.generator).toMatchObject({ mode: 'llm', llmCalls: 3 });
    const retry = server.chatRequests.at(-1);
    expect(retry?.messages.at(-2)).toMatchObject({ role: 'assistant', content: '{"tldr": [ oops }' });
    expect(retry?.messages.at(-1)?.content).toMatch(/^That reply is invalid: the reply is not valid JSON/);
  });

  it('rejects citations of ids that were not in the input, and falls back after the retry', async () => {
    const server = await ollama((request) =>
      isWriteCall(request)
        ? briefReply(request, { insights: [{ text: 'Invented link.', itemIds: ['gmail:does-not-exist'] }] })
        : { content: 'ready' },
    );
    const { service, refresh } = setup(server);
    const brief = await refresh();
    service.close();
    expect(brief.generator.mode).toBe('extractive');
    expect(brief.generator.fallbackReason).toMatch(/cites ids that are not in the input: gmail:does-not-exist/);
    expect(brief.generator.llmCalls).toBe(3);
    expect(server.chatRequests.at(-1)?.messages.at(-1)?.content).toMatch(/gmail:does-not-exist/);
  });

  it('rejects vague filler', async () => {
    const server = await ollama((request) =>
      isWriteCall(request)
        ? briefReply(request, {
            summary: 'Today brings a mix of updates. Markets moved. Mail arrived. Meetings happen.',
          })
        : { content: 'ready' },
    );
    const { service, refresh } = setup(server);
    const brief = await refresh();
    service.close();
    expect(brief.generator.fallbackReason).toMatch(/banned filler phrase "mix of updates"/);
  });

  it('stops a model that keeps calling tools at the step limit, and writes with what it has', async () => {
    const server = await ollama((request) =>
      isWriteCall(request)
        ? briefReply(request)
        : { toolCalls: [{ name: 'get_item', arguments: { id: 'gmail:nope' } }] },
    );
    const { service, refresh } = setup(server, { maxSteps: 4 });
    const brief = await refresh();
    service.close();
    expect(brief.generator).toMatchObject({ mode: 'llm', steps: 4, llmCalls: 5, stopReason: 'step limit (4) reached' });
    expect(server.chatRequests.filter((r) => !isWriteCall(r))).toHaveLength(4);
  });

  it('stops looking things up when the prompt token budget would be exceeded', async () => {
    const server = await ollama((request) =>
      isWriteCall(request) ? briefReply(request) : { toolCalls: [{ name: 'list_items', arguments: { limit: 20 } }] },
    );
    const { service, refresh } = setup(server, { maxSteps: 10, promptBudgetTokens: 6000 });
    const brief = await refresh();
    service.close();
    expect(brief.generator).toMatchObject({ mode: 'llm', stopReason: 'token budget used up' });
    expect(brief.generator.steps).toBeLessThan(10);
    expect(brief.generator.promptTokens).toBeLessThanOrEqual(6000);
  });

  it('refuses and logs a tool call outside the allow-list', async () => {
    const server = await ollama((request) => {
      if (isWriteCall(request)) return briefReply(request);
      const asked = request.messages.some((m) => m.role === 'tool');
      return asked ? { content: 'ok' } : { toolCalls: [{ name: 'send_email', arguments: { to: 'x@evil.example' } }] };
    });
    const { service, refresh, log } = setup(server);
    const brief = await refresh();
    service.close();
    expect(brief.generator.mode).toBe('llm');
    const toolReply = server.chatRequests[1]?.messages.find((m) => m.role === 'tool');
    expect(toolReply?.content).toMatch(/^Refused: "send_email" is not an available tool/);
    expect(log.lines).toContainEqual({
      level: 'warn',
      message: 'refused a tool call outside the allow-list',
      fields: { tool: 'send_email' },
    });
  });

  it('only lets the writer cite what it was shown', async () => {
    const server = await ollama((request) => (isWriteCall(request) ? briefReply(request) : { content: 'ok' }));
    const { service, refresh } = setup(server);
    const brief = await refresh();
    service.close();
    // Handles in the request, item ids in the brief: each cited id is an item whose title was shown.
    const write = server.chatRequests.at(-1) as ChatRequest;
    const shown = new Set(idsInRequest(write));
    const cited = [...brief.tldr, ...(brief.insights ?? []), ...(brief.actionItems ?? [])].flatMap((b) => b.itemIds);
    expect(cited.length).toBeGreaterThan(0);
    const titles = new Map(brief.sections.flatMap((s) => s.items.map((i) => [i.id, i.title])));
    for (const id of cited) {
      const handle = blockIdByTitle(write, titles.get(id) ?? '?');
      expect(handle && shown.has(handle), id).toBe(true);
    }
  });
});
