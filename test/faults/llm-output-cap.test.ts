import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { parseSettings } from '../../core/settings.ts';
import { startOllamaServer, type ChatRequest, type ChatTurn, type OllamaServer } from '../fakes/ollama-server.ts';
import { startOpenAIServer, type OpenAIChatRequest, type OpenAIServer } from '../fakes/openai-server.ts';
import { briefReply, isWriteCall, llmService } from '../helpers/llm.ts';

/**
 * Issue 12 item 18, through the real workflow and the real LangChain clients: every request carries an output
 * cap from settings (Ollama `num_predict`, OpenAI `max_tokens`), and an answer the cap cut off is a failed try
 * that says so, instead of a model looping in JSON mode until the time limit.
 */
const closers: (() => Promise<void>)[] = [];
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function ollama(respond: (request: ChatRequest, index: number) => ChatTurn): Promise<OllamaServer> {
  const server = await startOllamaServer({ respond });
  closers.push(() => server.close());
  return server;
}

function service(baseUrl: string, llm: Parameters<typeof llmService>[1] = {}) {
  const s = llmService(baseUrl, llm);
  dirs.push(s.dir);
  return s;
}

describe('fault: no output cap (issue 12 item 18)', () => {
  it('has a default sized to the brief, and refuses nonsense', () => {
    const llm = parseSettings({}).llm;
    expect(llm.maxOutputTokens).toBeGreaterThanOrEqual(1024);
    expect(llm.maxOutputTokens).toBeLessThanOrEqual(4096);
    expect(() => parseSettings({ llm: { maxOutputTokens: 10 } })).toThrow(/llm\.maxOutputTokens/);
  });

  it('sends num_predict from settings on every Ollama chat request', async () => {
    const server = await ollama((request) => (isWriteCall(request) ? briefReply(request) : { content: 'done' }));
    const { refresh, service: svc } = service(server.baseUrl, { maxOutputTokens: 1200 });
    const brief = await refresh();
    svc.close();
    expect(brief.generator.mode).toBe('llm');
    expect(server.chatRequests.length).toBeGreaterThan(0);
    expect(server.chatRequests.map((r) => r.options?.num_predict)).toEqual(server.chatRequests.map(() => 1200));
  });

  it('counts an answer cut off at the cap as a failed try, and retries once', async () => {
    let writes = 0;
    const server = await ollama((request) => {
      if (!isWriteCall(request)) return { content: 'done' };
      writes++;
      // The first answer loops in JSON mode; the retry is a good brief.
      return writes === 1 ? { content: '{"tldr": [', runaway: true } : briefReply(request);
    });
    const { refresh, service: svc, log } = service(server.baseUrl, { maxOutputTokens: 600 });
    const brief = await refresh();
    svc.close();
    expect(brief.generator.mode).toBe('llm');
    expect(writes).toBe(2);
    const retry = server.chatRequests.filter(isWriteCall)[1];
    expect(retry?.messages.at(-1)?.content).toMatch(/cut off at the output limit of 600 tokens/);
    // The cut-off reply is not quoted back: it is only filler.
    expect(retry?.messages.some((m) => m.role === 'assistant')).toBe(false);
    expect(JSON.stringify(log.lines)).toMatch(/cut off at the output limit/);
  });

  it('gives up on a model that loops every time with that reason, not a time-out', async () => {
    const server = await ollama((request) =>
      isWriteCall(request) ? { content: '{"summary": "', runaway: true } : { content: 'done' },
    );
    const { refresh, service: svc } = service(server.baseUrl, { maxOutputTokens: 600, timeoutMs: 20_000 });
    const brief = await refresh();
    svc.close();
    expect(brief.generator.mode).toBe('extractive');
    expect(brief.generator.fallbackReason).toMatch(
      /llama3\.2:3b: .*the answer was cut off at the output limit of 600 tokens \(llm\.maxOutputTokens\)/,
    );
    expect(brief.generator.fallbackReason).not.toMatch(/did not finish within/);
  });

  it('says when a thinking model spent the cap on reasoning', async () => {
    const server = await startOllamaServer({
      models: ['qwen3:8b'],
      capabilities: { 'qwen3:8b': ['completion', 'tools', 'thinking'] },
      respond: (request) =>
        isWriteCall(request)
          ? { thinking: 'Let me think about the brief. '.repeat(200), content: briefReply(request).content ?? '' }
          : { content: 'done' },
    });
    closers.push(() => server.close());
    const { refresh, service: svc } = service(server.baseUrl, { model: 'qwen3:8b', maxOutputTokens: 600 });
    const brief = await refresh();
    svc.close();
    expect(brief.generator.mode).toBe('extractive');
    expect(brief.generator.fallbackReason).toMatch(/cut off at the output limit of 600 tokens, most of it reasoning/);
  });

  it('sends max_tokens to an OpenAI-compatible server, and counts finish_reason "length" as a failed try', async () => {
    const isWrite = (request: OpenAIChatRequest) => request.response_format !== undefined;
    const server: OpenAIServer = await startOpenAIServer({
      models: ['local-model'],
      respond: (request) => (isWrite(request) ? { content: '{"tldr": [', runaway: true } : { content: 'done' }),
    });
    closers.push(() => server.close());
    const { refresh, service: svc } = service(server.apiBaseUrl, {
      provider: 'openai-compatible',
      baseUrl: server.apiBaseUrl,
      model: 'local-model',
      maxOutputTokens: 700,
    });
    const brief = await refresh();
    svc.close();
    expect(server.chatRequests.map((r) => r.max_tokens)).toEqual(server.chatRequests.map(() => 700));
    expect(brief.generator.mode).toBe('extractive');
    expect(brief.generator.fallbackReason).toMatch(/cut off at the output limit of 700 tokens/);
    expect(server.chatRequests.filter(isWrite)).toHaveLength(2);
  });
});

describe('the fakes without a cap', () => {
  it('keep a runaway answer going until the client hangs up, as a looping model does', async () => {
    const server = await ollama(() => ({ content: '{"tldr": [', runaway: true }));
    const controller = new AbortController();
    const response = await fetch(`${server.baseUrl}/api/chat`, {
      method: 'POST',
      body: JSON.stringify({ model: 'llama3.2:3b', messages: [{ role: 'user', content: 'hi' }], stream: true }),
      signal: controller.signal,
    });
    if (!response.body) throw new Error('no body');
    const decoder = new TextDecoder();
    let text = '';
    for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
      text += decoder.decode(chunk, { stream: true });
      if (text.split('\n').length >= 40) break;
    }
    controller.abort();
    expect(text).not.toMatch(/"done":true/);
  });
});
