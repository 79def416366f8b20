import type { AIMessageChunk } from '@langchain/core/messages';
import { tool } from '@langchain/core/tools';
import { ChatOllama, OllamaEmbeddings } from '@langchain/ollama';
import { ChatOpenAI } from '@langchain/openai';
import { afterEach, describe, expect, test } from 'vitest';
import { z } from 'zod';
import { startOllamaServer, type OllamaServer, type OllamaServerOptions } from '../fakes/ollama-server.ts';
import { startOpenAIServer, type OpenAIServer, type OpenAIServerOptions } from '../fakes/openai-server.ts';
import { sleep } from '../fakes/server.ts';

// These tests drive the real LangChain clients over HTTP against the fakes: if a fake drifts from the wire
// format the clients speak, they fail here rather than in the app's own tests.

const ANSWER = 'Rain by noon; take the umbrella. Standup moved to 10:30.';

const weatherTool = tool(async ({ city }) => Promise.resolve(`Sunny in ${city}`), {
  name: 'get_weather',
  description: 'Current weather for a city',
  schema: z.object({ city: z.string(), days: z.number().optional() }),
});

const servers: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function ollama(options: OllamaServerOptions = {}): Promise<OllamaServer> {
  const server = await startOllamaServer(options);
  servers.push(server);
  return server;
}

async function openai(options: OpenAIServerOptions = {}): Promise<OpenAIServer> {
  const server = await startOpenAIServer(options);
  servers.push(server);
  return server;
}

async function collect(stream: AsyncIterable<AIMessageChunk>): Promise<AIMessageChunk[]> {
  const chunks: AIMessageChunk[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return chunks;
}

const merge = (chunks: AIMessageChunk[]): AIMessageChunk => chunks.reduce((a, b) => a.concat(b));

/** Settles as 'pending' if the promise has not settled within `ms`. */
function within<T>(promise: Promise<T>, ms: number): Promise<T | 'pending'> {
  return Promise.race([promise, sleep(ms).then(() => 'pending' as const)]);
}

describe('ChatOllama against the Ollama fake', () => {
  const chat = (server: OllamaServer, model = 'llama3.2:3b') => new ChatOllama({ baseUrl: server.baseUrl, model });

  test('invoke returns the scripted content and the server-reported usage', async () => {
    const server = await ollama({ script: [{ content: ANSWER, promptEvalCount: 42, evalCount: 17 }] });
    const reply = await chat(server).invoke([
      ['system', 'You write morning briefs.'],
      ['human', 'What matters today?'],
    ]);
    expect(reply.content).toBe(ANSWER);
    expect(reply.usage_metadata).toMatchObject({ input_tokens: 42, output_tokens: 17, total_tokens: 59 });
    expect(reply.response_metadata).toMatchObject({ done_reason: 'stop', prompt_eval_count: 42, eval_count: 17 });
    // ChatOllama streams even for invoke.
    expect(server.chatRequests).toMatchObject([
      {
        model: 'llama3.2:3b',
        stream: true,
        messages: [
          { role: 'system', content: 'You write morning briefs.' },
          { role: 'user', content: 'What matters today?' },
        ],
      },
    ]);
  });

  test('the default token counts are the characters / 4 estimate', async () => {
    const server = await ollama({ respond: () => ({ content: '12345678' }) });
    const reply = await chat(server).invoke([['human', 'abcdefghij']]);
    expect(reply.usage_metadata).toMatchObject({ input_tokens: 3, output_tokens: 2 });
  });

  test('stream yields several chunks that concatenate to the content, with usage at the end', async () => {
    const server = await ollama({ script: [{ content: ANSWER, chunkChars: 8 }] });
    const chunks = await collect(await chat(server).stream('brief me'));
    const text = chunks.map((c) => c.text).filter((c) => c !== '');
    expect(text.length).toBe(Math.ceil(ANSWER.length / 8));
    expect(text.join('')).toBe(ANSWER);
    expect(merge(chunks).usage_metadata).toMatchObject({
      input_tokens: Math.ceil('brief me'.length / 4),
      output_tokens: Math.ceil(ANSWER.length / 4),
    });
  });

  test('bindTools: the tool schema goes out and tool_calls come back parsed', async () => {
    const server = await ollama({
      script: [
        {
          toolCalls: [
            { name: 'get_weather', arguments: { city: 'Berlin', days: 2 } },
            { name: 'get_weather', arguments: { city: 'Paris' } },
          ],
        },
      ],
    });
    const reply = await chat(server).bindTools([weatherTool]).invoke('Weather in Berlin and Paris?');
    expect(reply.tool_calls).toMatchObject([
      { name: 'get_weather', args: { city: 'Berlin', days: 2 } },
      { name: 'get_weather', args: { city: 'Paris' } },
    ]);
    expect(reply.tool_calls?.[0]?.id).toEqual(expect.any(String));
    const sent = server.chatRequests[0]?.tools?.[0];
    expect(sent).toMatchObject({ type: 'function', function: { name: 'get_weather' } });
    expect(sent?.function.parameters).toMatchObject({ properties: { city: { type: 'string' } }, required: ['city'] });
  });

  test('withStructuredOutput sends the JSON schema as `format` and parses the JSON content', async () => {
    const server = await ollama({ script: [{ content: '{"headline":"Rain","items":2}' }] });
    const schema = z.object({ headline: z.string(), items: z.number() });
    const result = await chat(server).withStructuredOutput(schema).invoke('Summarise');
    expect(result).toEqual({ headline: 'Rain', items: 2 });
    expect(server.chatRequests[0]?.format).toMatchObject({
      type: 'object',
      properties: { headline: { type: 'string' }, items: { type: 'number' } },
    });
  });

  test('a missing model surfaces Ollama\'s "not found" message', async () => {
    const server = await ollama({ models: ['qwen2.5:7b'] });
    const error = await chat(server, 'llama3.2:3b')
      .invoke('hi')
      .then(
        () => undefined,
        (e: unknown) => e as Error & { status_code?: number },
      );
    expect(error?.message).toBe('model "llama3.2:3b" not found, try pulling it first');
    expect(error?.status_code).toBe(404);
  });

  test('a scripted error body becomes the error message', async () => {
    const server = await ollama({ script: [{ status: 500, error: 'llama runner process has terminated' }] });
    await expect(chat(server).invoke('hi')).rejects.toThrow('llama runner process has terminated');
  });

  test('a closed server rejects with connection refused', async () => {
    const server = await ollama();
    const model = chat(server);
    await server.close();
    const error = await model.invoke('hi').then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error).toBeInstanceOf(TypeError);
    expect(String(error?.cause)).toContain('ECONNREFUSED');
  });

  test('`down` resets every connection, which rejects like an unreachable server', async () => {
    const server = await ollama({ down: true });
    await expect(chat(server).invoke('hi')).rejects.toThrow('fetch failed');
  });

  test('stream: a stall mid-stream rejects once the signal fires, but the socket stays open', async () => {
    const server = await ollama({ script: [{ content: ANSWER, hangAfterChunks: 2 }] });
    const model = chat(server);
    const consume = (async () => collect(await model.stream('hi', { signal: AbortSignal.timeout(300) })))();
    await expect(within(consume, 3000)).rejects.toThrow('aborted');
    // The `ollama` client never sees the signal: only its own abort() hangs up.
    expect(server.calls.droppedStreams).toBe(0);
    model.client.abort();
    await sleep(50);
    expect(server.calls.droppedStreams).toBe(1);
  });

  test('invoke: a stall mid-stream ignores the signal, so callers must race it', async () => {
    const server = await ollama({ script: [{ content: ANSWER, hangAfterChunks: 2 }] });
    const model = chat(server);
    const reply = model.invoke('hi', { signal: AbortSignal.timeout(300) });
    // If this starts failing, ChatOllama learned to honour the signal and the callers' race can go.
    expect(await within(reply, 800)).toBe('pending');
    model.client.abort();
    await expect(within(reply, 1000)).rejects.toThrow('aborted');
  });

  test('invoke: an abort while chunks still flow resolves with the truncated content, not an error', async () => {
    const server = await ollama({ script: [{ content: ANSWER, chunkChars: 4, chunkDelayMs: 60 }] });
    const reply = await chat(server).invoke('hi', { signal: AbortSignal.timeout(200) });
    expect(ANSWER.startsWith(reply.text)).toBe(true);
    expect(reply.text.length).toBeLessThan(ANSWER.length);
    // No usage either: the final chunk that carries it never arrived. ChatOllama did hang up, though.
    expect(reply.usage_metadata).toBeUndefined();
    await sleep(50);
    expect(server.calls.droppedStreams).toBe(1);
  });

  test('the ollama client reads version, tags, show and non-streamed chat', async () => {
    const server = await ollama({ version: '0.12.3' });
    const { client } = chat(server);
    expect(await client.version()).toEqual({ version: '0.12.3' });
    const { models } = await client.list();
    expect(models.map((m) => m.name)).toEqual(['llama3.2:3b', 'nomic-embed-text:latest']);
    expect(models[0]?.details).toMatchObject({ family: 'llama', parameter_size: '3B', quantization_level: 'Q4_K_M' });
    const shown = await client.show({ model: 'llama3.2:3b' });
    expect(shown.model_info).toMatchObject({ 'general.architecture': 'llama', 'llama.context_length': 8192 });
    await expect(client.show({ model: 'mistral' })).rejects.toThrow("model 'mistral' not found");
    server.options.script = [{ content: ANSWER }];
    const reply = await client.chat({
      model: 'llama3.2:3b',
      messages: [{ role: 'user', content: 'hi' }],
      stream: false,
    });
    expect(reply).toMatchObject({ done: true, message: { role: 'assistant', content: ANSWER } });
    expect(server.calls).toMatchObject({ version: 1, tags: 1, show: 2, chat: 1 });
  });
});

describe('OllamaEmbeddings against the Ollama fake', () => {
  test('embedDocuments returns one deterministic vector per text', async () => {
    const server = await ollama({ embedDimensions: 384 });
    const embeddings = new OllamaEmbeddings({ baseUrl: server.baseUrl, model: 'nomic-embed-text' });
    const vectors = await embeddings.embedDocuments(['a', 'b', 'a']);
    expect(vectors).toHaveLength(3);
    for (const v of vectors) expect(v).toHaveLength(384);
    expect(vectors[0]).toEqual(vectors[2]);
    expect(vectors[0]).not.toEqual(vectors[1]);
    expect(Math.hypot(...(vectors[0] ?? []))).toBeCloseTo(1, 5);
    expect(server.embedInputCount()).toBe(3);
    expect(server.embedRequests).toMatchObject([{ model: 'nomic-embed-text', input: ['a', 'b', 'a'] }]);
  });

  test('a missing embedding model rejects with "not found"', async () => {
    const server = await ollama({ models: ['llama3.2:3b'] });
    // maxRetries 0: OllamaEmbeddings retries through AsyncCaller, with backoff, by default.
    const embeddings = new OllamaEmbeddings({ baseUrl: server.baseUrl, model: 'nomic-embed-text', maxRetries: 0 });
    await expect(embeddings.embedQuery('a')).rejects.toThrow('not found');
  });
});

describe('ChatOpenAI against the OpenAI-compatible fake', () => {
  const MODEL = 'llama-3.2-3b-instruct';
  const chat = (server: OpenAIServer, apiKey = 'sk-local') =>
    new ChatOpenAI({ model: MODEL, apiKey, maxRetries: 0, configuration: { baseURL: server.apiBaseUrl } });

  test('invoke returns the content and usage', async () => {
    const server = await openai({
      apiKey: 'sk-local',
      script: [{ content: ANSWER, promptEvalCount: 30, evalCount: 12 }],
    });
    const reply = await chat(server).invoke([['human', 'What matters today?']]);
    expect(reply.content).toBe(ANSWER);
    expect(reply.usage_metadata).toMatchObject({ input_tokens: 30, output_tokens: 12, total_tokens: 42 });
    expect(server.chatRequests[0]).toMatchObject({
      model: MODEL,
      messages: [{ role: 'user', content: 'What matters today?' }],
    });
    expect(server.requests[0]?.headers.authorization).toBe('Bearer sk-local');
  });

  test('stream yields several chunks and a final usage chunk', async () => {
    const server = await openai({ script: [{ content: ANSWER, chunkChars: 10 }] });
    const chunks = await collect(await chat(server).stream('brief me'));
    expect(chunks.filter((c) => c.text !== '').length).toBe(Math.ceil(ANSWER.length / 10));
    expect(chunks.map((c) => c.text).join('')).toBe(ANSWER);
    expect(merge(chunks).usage_metadata).toMatchObject({
      input_tokens: Math.ceil('brief me'.length / 4),
      output_tokens: Math.ceil(ANSWER.length / 4),
    });
    expect(server.chatRequests[0]).toMatchObject({ stream: true, stream_options: { include_usage: true } });
  });

  test('tool calls come back parsed, invoked and streamed', async () => {
    const call = { name: 'get_weather', arguments: { city: 'Berlin', days: 2 } };
    const server = await openai({ respond: () => ({ toolCalls: [call] }) });
    const model = chat(server).bindTools([weatherTool]);
    const reply = await model.invoke('Weather in Berlin?');
    expect(reply.tool_calls).toEqual([
      { type: 'tool_call', id: 'call_0_0', name: 'get_weather', args: call.arguments },
    ]);
    // Streamed, the arguments arrive in fragments and must be stitched together by index.
    const streamed = merge(await collect(await model.stream('Weather in Berlin?')));
    expect(streamed.tool_calls).toMatchObject([{ id: 'call_1_0', name: 'get_weather', args: call.arguments }]);
    expect(server.chatRequests[0]?.tools?.[0]).toMatchObject({ type: 'function', function: { name: 'get_weather' } });
  });

  test("a wrong or missing API key is a 401 with OpenAI's error message", async () => {
    const server = await openai({ apiKey: 'sk-local' });
    const error = await chat(server, 'sk-wrong-key')
      .invoke('hi')
      .then(
        () => undefined,
        (e: unknown) => e as Error & { status?: number },
      );
    expect(error?.status).toBe(401);
    expect(error?.message).toContain('Incorrect API key provided');
    const raw = await fetch(`${server.apiBaseUrl}/models`);
    expect(raw.status).toBe(401);
    expect(await raw.json()).toMatchObject({ error: { type: 'invalid_request_error', code: null } });
  });

  test('an unknown model is a 404 model_not_found', async () => {
    const server = await openai({ models: ['qwen2.5-7b-instruct'] });
    await expect(chat(server).invoke('hi')).rejects.toThrow('does not exist');
  });

  test('a stall mid-stream rejects on abort and the client hangs up', async () => {
    const server = await openai({
      script: [
        { content: ANSWER, hangAfterChunks: 2 },
        { content: ANSWER, hangAfterChunks: 0 },
      ],
    });
    const model = chat(server);
    const consume = (async () => collect(await model.stream('hi', { signal: AbortSignal.timeout(300) })))();
    await expect(within(consume, 3000)).rejects.toThrow('aborted');
    await expect(within(model.invoke('hi', { signal: AbortSignal.timeout(300) }), 3000)).rejects.toThrow('aborted');
    await sleep(50);
    expect(server.calls.droppedStreams).toBe(2);
  });

  test('/v1/models lists the models', async () => {
    const server = await openai({ models: ['a', 'b'], ownedBy: 'lmstudio' });
    const body = await (await fetch(`${server.apiBaseUrl}/models`)).json();
    expect(body).toMatchObject({
      object: 'list',
      data: [
        { id: 'a', object: 'model', owned_by: 'lmstudio' },
        { id: 'b', object: 'model', owned_by: 'lmstudio' },
      ],
    });
  });
});
