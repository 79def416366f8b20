import { tool } from '@langchain/core/tools';
import { ChatOllama } from '@langchain/ollama';
import { afterEach, describe, expect, test } from 'vitest';
import { z } from 'zod';
import { clearModelInfoCache, readModelInfo } from '../../agents/llm/model-info.ts';
import { warmModel } from '../../agents/llm/warm.ts';
import { startOllamaServer, type OllamaServer, type OllamaServerOptions } from '../fakes/ollama-server.ts';

// The ways real local models fail, as the fake Ollama acts them out, seen through the real LangChain
// client: if the fake drifts from what @langchain/ollama sends and reads, these fail first.

const lookup = tool(async ({ id }) => Promise.resolve(`item ${id}`), {
  name: 'get_item',
  description: 'One item by id',
  schema: z.object({ id: z.string() }),
});

const servers: OllamaServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
  clearModelInfoCache();
});

async function ollama(options: OllamaServerOptions): Promise<OllamaServer> {
  const server = await startOllamaServer(options);
  servers.push(server);
  return server;
}

const signal = () => new AbortController().signal;

describe('the fake Ollama’s failure modes through @langchain/ollama', () => {
  test('a model without tools answers HTTP 400 "does not support tools" when tools are sent', async () => {
    const server = await ollama({ models: ['gemma3:4b'], capabilities: { 'gemma3:4b': ['completion', 'vision'] } });
    const chat = new ChatOllama({ baseUrl: server.baseUrl, model: 'gemma3:4b' });
    await expect(chat.bindTools([lookup]).invoke([['human', 'hi']])).rejects.toThrow(
      'registry.ollama.ai/library/gemma3:4b does not support tools',
    );
    // The same model answers a request without tools.
    expect((await chat.invoke([['human', 'hi']])).content).toBe('ok');
  });

  test('/api/show gives capabilities and the context length; an older server gives no capabilities', async () => {
    const server = await ollama({
      models: ['qwen3:8b', 'gemma3:4b'],
      capabilities: { 'qwen3:8b': ['completion', 'tools', 'thinking'] },
      contextLengths: { 'qwen3:8b': 40960 },
    });
    const spec = { provider: 'ollama' as const, model: 'qwen3:8b', baseUrl: server.baseUrl };
    expect(await readModelInfo(spec, 'sha256:a', signal())).toEqual({
      capabilities: ['completion', 'tools', 'thinking'],
      contextLength: 40960,
    });
    // Asked once per model and digest; a new digest (the model was pulled again) asks again.
    await readModelInfo(spec, 'sha256:a', signal());
    expect(server.calls.show).toBe(1);
    await readModelInfo(spec, 'sha256:b', signal());
    expect(server.calls.show).toBe(2);

    server.options.omitCapabilities = true;
    const old = await readModelInfo({ ...spec, model: 'gemma3:4b' }, 'sha256:c', signal());
    expect(old).toEqual({ contextLength: 8192 });
  });

  test('a thinking model sends its reasoning in the thinking field when asked to think', async () => {
    const server = await ollama({
      models: ['qwen3:8b'],
      capabilities: { 'qwen3:8b': ['completion', 'tools', 'thinking'] },
      respond: () => ({ thinking: 'The user wants JSON. Let me think.', content: '{"a":1}' }),
    });
    const reply = await new ChatOllama({ baseUrl: server.baseUrl, model: 'qwen3:8b', think: true }).invoke([
      ['human', 'hi'],
    ]);
    expect(server.chatRequests[0]?.think).toBe(true);
    expect(reply.content).toBe('{"a":1}');
    expect(reply.additional_kwargs.reasoning_content).toBe('The user wants JSON. Let me think.');
  });

  test('without think (or when the server ignores it) the reasoning comes inline, in <think> tags', async () => {
    const options = {
      models: ['qwen3:8b'],
      capabilities: { 'qwen3:8b': ['completion', 'thinking'] },
      respond: () => ({ thinking: 'Hmm.', content: '{"a":1}' }),
    };
    const plain = await ollama(options);
    const unasked = await new ChatOllama({ baseUrl: plain.baseUrl, model: 'qwen3:8b' }).invoke([['human', 'hi']]);
    expect(unasked.content).toBe('<think>Hmm.</think>\n\n{"a":1}');

    const ignoring = await ollama({ ...options, ignoreThink: true });
    const chat = new ChatOllama({ baseUrl: ignoring.baseUrl, model: 'qwen3:8b', think: true });
    const ignored = await chat.invoke([['human', 'hi']]);
    expect(ignoring.chatRequests[0]?.think).toBe(true);
    expect(ignored.content).toBe('<think>Hmm.</think>\n\n{"a":1}');
    expect(ignored.additional_kwargs.reasoning_content).toBeUndefined();
  });

  test('a thinking model can answer with reasoning and nothing else', async () => {
    const server = await ollama({
      models: ['qwen3:8b'],
      capabilities: { 'qwen3:8b': ['completion', 'tools', 'thinking'] },
      respond: () => ({ thinking: 'I should call a tool. Or maybe not.', content: '' }),
    });
    const chat = new ChatOllama({ baseUrl: server.baseUrl, model: 'qwen3:8b', think: true });
    const reply = await chat.bindTools([lookup]).invoke([['human', 'hi']]);
    expect(reply.content).toBe('');
    expect(reply.tool_calls).toEqual([]);
    expect(reply.additional_kwargs.reasoning_content).toBe('I should call a tool. Or maybe not.');
  });

  test('`think` to a model that cannot think is a 400', async () => {
    const server = await ollama({ models: ['llama3.2:3b'] });
    const chat = new ChatOllama({ baseUrl: server.baseUrl, model: 'llama3.2:3b', think: true });
    await expect(chat.invoke([['human', 'hi']])).rejects.toThrow('"llama3.2:3b" does not support thinking');
  });

  test('a prompt longer than the context is cut silently, or refused with 400 by stricter versions', async () => {
    const long = 'x'.repeat(4 * 3000);
    const server = await ollama({ models: ['llama3.2:3b'], contextLength: 2048 });
    // num_ctx 8192 is more than the model has: its own 2048 is what counts.
    const chat = new ChatOllama({ baseUrl: server.baseUrl, model: 'llama3.2:3b', numCtx: 8192 });
    expect((await chat.invoke([['human', long]])).content).toBe('ok');
    expect(server.truncatedPrompts).toBe(1);
    expect(server.chatRequests[0]?.options?.num_ctx).toBe(8192);

    server.options.overflow = 'error';
    await expect(chat.invoke([['human', long]])).rejects.toThrow(/exceeds the context length \(2048\)/);
    // A prompt that fits is answered either way.
    expect((await chat.invoke([['human', 'short']])).content).toBe('ok');
    expect(server.truncatedPrompts).toBe(1);
  });

  test('a cold model loads on the first request; an empty /api/generate loads it ahead', async () => {
    const server = await ollama({ models: ['llama3.2:3b'], loadMs: 50 });
    const spec = { provider: 'ollama' as const, model: 'llama3.2:3b', baseUrl: server.baseUrl };
    expect(server.loaded.has('llama3.2:3b')).toBe(false);
    expect(await warmModel(spec, '420s', signal(), 5000)).toBe(true);
    expect(server.generateRequests).toEqual([{ model: 'llama3.2:3b', keep_alive: '420s', stream: false }]);
    expect(server.loaded.has('llama3.2:3b')).toBe(true);
    const chat = new ChatOllama({ baseUrl: server.baseUrl, model: 'llama3.2:3b', keepAlive: '420s' });
    await chat.invoke([['human', 'hi']]);
    expect(server.chatRequests[0]?.keep_alive).toBe('420s');
    // A model that is not installed cannot be warmed; the warm-up says so without throwing.
    expect(await warmModel({ ...spec, model: 'nope' }, '1s', signal(), 5000)).toBe(false);
  });
});
