import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { clearModelInfoCache } from '../../agents/llm/model-info.ts';
import { demoConnectors } from '../../connectors/demo/demo.ts';
import { startOllamaServer, type ChatRequest, type ChatTurn, type OllamaServer } from '../fakes/ollama-server.ts';
import { briefReply, idsInRequest, isWriteCall, llmService } from '../helpers/llm.ts';

/** Issue 17's leftovers: `ask` sized and told to think like the writer; no warm-up when the brief comes from cache. */
const servers: OllamaServer[] = [];
const dirs: string[] = [];
afterEach(async () => {
  clearModelInfoCache();
  await Promise.all(servers.splice(0).map((s) => s.close()));
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function respond(request: ChatRequest): ChatTurn {
  if ((request.messages[0]?.content ?? '').startsWith('You answer the user')) {
    return { content: JSON.stringify({ answer: 'At 11:00.', itemIds: idsInRequest(request).slice(0, 1) }) };
  }
  return isWriteCall(request) ? briefReply(request) : { content: 'nothing to look up' };
}

async function ollama(options: Parameters<typeof startOllamaServer>[0] = {}): Promise<OllamaServer> {
  const server = await startOllamaServer({ respond, ...options });
  servers.push(server);
  return server;
}

function service(server: OllamaServer, llm: Parameters<typeof llmService>[1] = {}) {
  const s = llmService(server.baseUrl, llm);
  dirs.push(s.dir);
  return s;
}

const askRequests = (server: OllamaServer) =>
  server.chatRequests.filter((r) => (r.messages[0]?.content ?? '').startsWith('You answer the user'));

describe('ask uses what the model can do', () => {
  it("asks for no more context than the model has (min of the setting and the model's)", async () => {
    const server = await ollama({ models: ['llama3.2:3b', 'nomic-embed-text:latest'], contextLength: 4096 });
    const { service: svc, refresh } = service(server, { contextTokens: 16_384 });
    await refresh();
    const answer = await svc.ask('When is the Northwind renewal review?');
    svc.close();
    expect(answer.mode).toBe('llm');
    expect(askRequests(server).map((r) => r.options?.num_ctx)).toEqual([4096]);
  });

  it('sets think for a thinking model, and keeps its reasoning out of the answer', async () => {
    const server = await ollama({
      models: ['qwen3:8b', 'nomic-embed-text:latest'],
      capabilities: { 'qwen3:8b': ['completion', 'tools', 'thinking'] },
      respond: (request) => {
        const turn = respond(request);
        return (request.messages[0]?.content ?? '').startsWith('You answer the user')
          ? { ...turn, thinking: 'The review is in the calendar block.' }
          : turn;
      },
    });
    const { service: svc, refresh } = service(server, { model: 'qwen3:8b' });
    await refresh();
    const answer = await svc.ask('When is the Northwind renewal review?');
    svc.close();
    expect(askRequests(server).map((r) => r.think)).toEqual([true]);
    expect(answer).toMatchObject({ mode: 'llm', answer: 'At 11:00.' });
  });
});

describe('warm-up', () => {
  it('loads the model ahead of writing, but not when the brief comes from the output cache', async () => {
    const server = await ollama();
    const connectors = demoConnectors();
    const s = llmService(server.baseUrl, {}, undefined, connectors);
    dirs.push(s.dir);
    await s.refresh();
    expect(server.generateRequests).toHaveLength(1);
    const second = await s.refresh();
    expect(second.generator.cached).toBe(true);
    // Inputs unchanged: nothing to write, nothing to load.
    expect(server.generateRequests).toHaveLength(1);
    // A changed item means a new brief: the model is loaded ahead of it again.
    const rss = connectors.find((c) => c.id === 'rss');
    if (!rss) throw new Error('no rss connector');
    const original = rss.fetch.bind(rss);
    rss.fetch = async (context) => {
      const result = await original(context);
      return { ...result, items: result.items.map((i, n) => (n === 0 ? { ...i, title: `${i.title} (updated)` } : i)) };
    };
    const third = await s.refresh();
    s.service.close();
    expect(third.generator.cached).toBeUndefined();
    expect(server.generateRequests).toHaveLength(2);
  });
});
