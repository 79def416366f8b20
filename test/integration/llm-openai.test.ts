import { rmSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DATA_RULES } from '../../agents/reasoner/prompts.ts';
import { estimateTokens, promptTokens, type ChatRequest, type ChatTurn } from '../fakes/ollama-server.ts';
import {
  startOpenAIServer,
  type OpenAIChatRequest,
  type OpenAIMessage,
  type OpenAIServer,
} from '../fakes/openai-server.ts';
import { briefReply, llmService } from '../helpers/llm.ts';

/**
 * The openai-compatible provider end to end: the real ChatOpenAI client inside the real workflow,
 * against a fake server that speaks the Chat Completions API (SSE streaming, tool_calls as JSON
 * strings, usage in a final chunk) and, like a hosted or keyed server, wants a Bearer key.
 */
const MODEL = 'llama-3.2-3b-instruct';
const KEY = 'sk-test-0123456789abcdef';
const KEY_ENV = 'DB_TEST_KEY';

const servers: OpenAIServer[] = [];
const dirs: string[] = [];
let savedKey: string | undefined;
beforeEach(() => {
  savedKey = process.env.DB_TEST_KEY;
});
afterEach(async () => {
  if (savedKey === undefined) delete process.env.DB_TEST_KEY;
  else process.env.DB_TEST_KEY = savedKey;
  await Promise.all(servers.splice(0).map((s) => s.close()));
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function textOf(content: OpenAIMessage['content']): string {
  if (typeof content === 'string') return content;
  return (content ?? []).map((part) => part.text ?? '').join('');
}

const isWrite = (request: OpenAIChatRequest): boolean => request.response_format !== undefined;

/** The same valid brief the Ollama tests use, citing only ids this request showed. */
function brief(request: OpenAIChatRequest): ChatTurn {
  const asOllama: ChatRequest = {
    model: request.model,
    messages: request.messages.map((m) => ({ role: m.role, content: textOf(m.content) })),
  };
  return briefReply(asOllama);
}

/** Reasoner: read the urgent email once, then stop; writer: a valid brief. */
const lookOnceThenWrite = (request: OpenAIChatRequest): ChatTurn => {
  if (isWrite(request)) return brief(request);
  return request.messages.some((m) => m.role === 'tool')
    ? { content: 'The redlines are due at 15:00 (gmail:m-1001).' }
    : { toolCalls: [{ name: 'get_item', arguments: { id: 'gmail:m-1001' } }] };
};

async function setup(options: { key?: string; serverKey?: string } = {}) {
  const server = await startOpenAIServer({
    apiKey: options.serverKey ?? KEY,
    models: [MODEL],
    respond: lookOnceThenWrite,
  });
  servers.push(server);
  if (options.key === undefined) delete process.env.DB_TEST_KEY;
  else process.env.DB_TEST_KEY = options.key;
  const s = llmService(server.apiBaseUrl, {
    provider: 'openai-compatible',
    baseUrl: server.apiBaseUrl,
    model: MODEL,
    apiKeyEnv: KEY_ENV,
  });
  dirs.push(s.dir);
  return { server, ...s };
}

describe('openai-compatible provider', () => {
  it('writes an LLM brief, with calls and tokens counted from the server’s usage, sending the key as Bearer', async () => {
    const { server, service, refresh, log } = await setup({ key: KEY });
    const result = await refresh();
    service.close();

    expect(result.generator).toMatchObject({
      mode: 'llm',
      model: `${MODEL} (${server.apiBaseUrl})`,
      llmCalls: 3,
      steps: 2,
    });
    expect(result.generator.fallbackReason).toBeUndefined();

    // Tokens: exactly what the server reported in each stream's usage chunk.
    expect(server.chatRequests).toHaveLength(3);
    for (const request of server.chatRequests) {
      expect(request).toMatchObject({ model: MODEL, stream: true, stream_options: { include_usage: true } });
    }
    const prompt = server.chatRequests.reduce(
      (sum, r) => sum + promptTokens(r.messages.map((m) => textOf(m.content))),
      0,
    );
    expect(result.generator.promptTokens).toBe(prompt);
    const replies = server.chatRequests.map((r) => lookOnceThenWrite(r).content ?? '');
    expect(result.generator.completionTokens).toBe(replies.reduce((sum, c) => sum + estimateTokens(c), 0));
    expect(result.generator.completionTokens).toBeGreaterThan(50);

    // The key went to every /v1 route as a Bearer token, and nowhere else: not in logs, not in the brief.
    const v1 = server.requests.filter((r) => r.path.startsWith('/v1/'));
    expect(v1.map((r) => r.path)).toEqual([
      '/v1/models',
      '/v1/chat/completions',
      '/v1/chat/completions',
      '/v1/chat/completions',
    ]);
    for (const request of v1) expect(request.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(JSON.stringify(log.lines)).not.toContain(KEY);
    expect(JSON.stringify(result)).not.toContain(KEY);
    expect(JSON.stringify(server.chatRequests)).not.toContain(KEY);

    // The OpenAI dialect: tools offered as functions, the tool's answer sent back by call id, JSON asked for by schema.
    const [first, second, write] = server.chatRequests;
    expect(first?.tools?.map((t) => t.function.name)).toEqual(['search_memory', 'get_item', 'list_items']);
    const assistant = second?.messages.find((m) => m.role === 'assistant');
    expect(assistant?.tool_calls?.[0]).toMatchObject({ function: { name: 'get_item' } });
    const tool = second?.messages.find((m) => m.role === 'tool');
    expect(tool?.tool_call_id).toBe(assistant?.tool_calls?.[0]?.id);
    // Asked by the item's own id, answered with the item under its citation handle.
    expect(textOf(tool?.content ?? null)).toMatch(/^⟦item id="E01" kind="email" from="Priya Raman/);
    expect(write?.response_format).toMatchObject({ type: 'json_schema', json_schema: { name: 'brief' } });
    expect(write?.tools).toBeUndefined();
    expect(textOf(write?.messages[0]?.content ?? null)).toContain(DATA_RULES);

    // The brief itself: the model's words on the extractive structure.
    expect(result.tldr.map((b) => b.itemIds[0])).toEqual(['gmail:m-1001', 'calendar:e-2001', 'rss:n-3001']);
    expect(result.summary).toMatch(/^Legal returned the Northwind redlines/);
  });

  it.each([
    ['a wrong key', 'sk-wrong-key-99999999'],
    ['no key at all', undefined],
  ])('falls back to the extractive brief, in one line, with %s', async (_name, key) => {
    const { server, service, refresh } = await setup(key === undefined ? {} : { key });
    const result = await refresh();
    service.close();

    expect(result.generator).toMatchObject({ mode: 'extractive', model: null, llmCalls: 0 });
    const reason = result.generator.fallbackReason ?? '';
    expect(reason).not.toContain('\n');
    expect(reason).toMatch(new RegExp(`^${MODEL.replace(/\./g, '\\.')} \\(http://127\\.0\\.0\\.1:\\d+/v1\\): `));
    expect(reason).toMatch(/; wrote the extractive brief instead$/);
    if (key) expect(reason).not.toContain(key);
    // Nothing was asked of the model: the check of the model list failed first.
    expect(server.calls.chat).toBe(0);
    expect(server.calls.models).toBe(0);
    expect(server.requests.map((r) => r.path)).toEqual(['/v1/models']);
    expect(server.requests[0]?.headers.authorization).toBe(key ? `Bearer ${key}` : undefined);
    // The extractive brief is whole.
    expect(result.tldr).toHaveLength(3);
    expect(result.summary).toBeUndefined();
  });

  // The server answered: the reason must point at the key, not claim the server is down.
  it('says the key was refused, not that the server is unreachable, when it answers 401', async () => {
    const { service, refresh } = await setup({ key: 'sk-wrong-key-99999999' });
    const result = await refresh();
    service.close();
    const reason = result.generator.fallbackReason ?? '';
    expect(reason).not.toMatch(/not reachable/);
    expect(reason).toMatch(/401|API key/i);
  });

  it('uses the key only from the environment variable named in settings', async () => {
    // The right key sits in another variable: it is not picked up.
    process.env.DB_TEST_OTHER_KEY = KEY;
    try {
      const { service, refresh } = await setup({ key: 'sk-not-this-one' });
      const result = await refresh();
      service.close();
      expect(result.generator.mode).toBe('extractive');
    } finally {
      delete process.env.DB_TEST_OTHER_KEY;
    }
  });
});
