import type { IncomingMessage, ServerResponse } from 'node:http';
import { capabilitiesOf, contextLengthOf, describeModel, showModel } from './ollama-models.ts';
import { sendJson, sleep, startServer, type LocalServer } from './server.ts';

/** A tool call the fake model makes; each server renders it in its own wire format. */
export interface ScriptedToolCall {
  name: string;
  arguments: Record<string, unknown>;
}

/** One scripted answer to one chat call. Shared by the Ollama and the OpenAI-compatible fakes. */
export interface ChatTurn {
  content?: string;
  /**
   * Reasoning before the answer, for a model with the thinking capability: in the `thinking` field when the
   * request sets `think: true`, else (or with `ignoreThink`) inline before the content in <think> tags.
   */
  thinking?: string;
  toolCalls?: ScriptedToolCall[];
  /** Content is streamed in pieces of this many characters (default 12), so clients see several chunks. */
  chunkChars?: number;
  chunkDelayMs?: number;
  /** Send this many chunks, then stall without closing: a model that stops producing mid-stream. */
  hangAfterChunks?: number;
  /** With `error`: answer this status and the server's error body instead of a completion (default 500). */
  status?: number;
  error?: string;
  /** Token counts to report. Ollama: prompt_eval_count / eval_count; OpenAI: prompt_tokens / completion_tokens. */
  promptEvalCount?: number;
  evalCount?: number;
  /**
   * A small model in JSON mode that never stops: after `content` it keeps producing whitespace and repeats
   * until the request's output cap (Ollama `num_predict`, OpenAI `max_tokens`) cuts it off, or, without one,
   * until the client hangs up.
   */
  runaway?: boolean;
}

/** What a runaway model keeps repeating (JSON mode lets whitespace go on forever). */
export const RUNAWAY_FILLER = '\n  \n  ';

/** The output cap a request sets: positive numbers only (Ollama takes -1 and 0 as "no limit"). */
export function outputCap(value: unknown): number | undefined {
  return typeof value === 'number' && value > 0 ? Math.floor(value) : undefined;
}

/**
 * A reply as a server with an output cap sends it: reasoning first, then the answer, both counting towards the
 * cap (four characters a token, as everywhere in the fakes), and whether the cap cut it off.
 */
export function capReply(
  thinking: string,
  content: string,
  cap: number | undefined,
  runaway = false,
): { thinking: string; content: string; truncated: boolean } {
  if (cap === undefined) return { thinking, content, truncated: false };
  const budget = cap * 4;
  const full = runaway ? content + RUNAWAY_FILLER.repeat(Math.ceil(budget / RUNAWAY_FILLER.length) + 1) : content;
  if (thinking.length + full.length <= budget) return { thinking, content: full, truncated: false };
  const kept = thinking.slice(0, budget);
  return { thinking: kept, content: full.slice(0, budget - kept.length), truncated: true };
}

export interface OllamaToolCall {
  function: { index?: number; name: string; arguments: Record<string, unknown> };
}

export interface OllamaMessage {
  role: string;
  content: string;
  thinking?: string;
  images?: string[];
  tool_calls?: OllamaToolCall[];
  tool_name?: string;
}

/** The parsed body of POST /api/chat. */
export interface ChatRequest {
  model: string;
  messages: OllamaMessage[];
  tools?: { type: string; function: { name: string; description?: string; parameters?: unknown } }[];
  format?: string | Record<string, unknown>;
  options?: Record<string, unknown>;
  stream?: boolean;
  keep_alive?: string | number;
  think?: boolean;
}

/** The parsed body of POST /api/embed. */
export interface EmbedRequest {
  model: string;
  input: string | string[];
  truncate?: boolean;
  options?: Record<string, unknown>;
  keep_alive?: string | number;
}

export interface OllamaServerOptions {
  /** Installed models as /api/tags names them; a name without a tag also matches `name:latest`, as in Ollama. */
  models?: string[];
  version?: string;
  /** Consumed in order, one turn per /api/chat call. */
  script?: ChatTurn[];
  /** Answers chat calls once the script is used up; the default says "ok". */
  respond?: (request: ChatRequest, callIndex: number) => ChatTurn;
  embedDimensions?: number;
  /** Reported by /api/show as `<arch>.context_length`; per model in `contextLengths`. */
  contextLength?: number;
  contextLengths?: Record<string, number>;
  /** /api/show capabilities per model; default completion + tools (embedding for embedding models). */
  capabilities?: Record<string, string[]>;
  /** An Ollama before 0.6.4: /api/show has no capabilities (the 400 for tools still comes). */
  omitCapabilities?: boolean;
  /** Reasoning goes inline in <think> tags even when the request sets `think: true` (ollama-python#576). */
  ignoreThink?: boolean;
  /**
   * A prompt longer than the context (num_ctx, else 4096, never more than the model's): 'truncate' answers
   * anyway and counts it in `truncatedPrompts`, as Ollama does silently; 'error' answers 400, as some versions do.
   */
  overflow?: 'truncate' | 'error';
  /** A model's first request (chat or generate) waits this long: loading it into memory. */
  loadMs?: number;
  /** Delay before every answer: model load / time to first token. */
  latencyMs?: number;
  /**
   * Every request gets its socket reset without an answer. A stopped Ollama refuses connections; a listening
   * server cannot, and a reset is the closest thing (the same "fetch failed" TypeError, not an HTTP status).
   * For a real ECONNREFUSED, close the server.
   */
  down?: boolean;
}

export interface OllamaServer extends LocalServer {
  /** Mutable while the server runs. */
  options: OllamaServerOptions;
  chatRequests: ChatRequest[];
  embedRequests: EmbedRequest[];
  generateRequests: GenerateRequest[];
  /** Chat requests whose prompt did not fit the context and were answered from a cut prompt. */
  truncatedPrompts: number;
  /** Models loaded so far (by a first chat or generate). */
  loaded: Set<string>;
  /** Texts embedded across all /api/embed calls. */
  embedInputCount(): number;
  /** Requests per route; `droppedStreams` counts chat answers the client hung up on before they finished. */
  calls: {
    version: number;
    tags: number;
    show: number;
    chat: number;
    embed: number;
    generate: number;
    droppedStreams: number;
  };
}

/** The parsed body of POST /api/generate (the app only sends the empty one that loads a model). */
export interface GenerateRequest {
  model: string;
  prompt?: string;
  keep_alive?: string | number;
  stream?: boolean;
}

/** Ollama's default context when a request sets no num_ctx. */
export const DEFAULT_NUM_CTX = 4096;

export const DEFAULT_OLLAMA_MODELS = ['llama3.2:3b', 'nomic-embed-text:latest'];

export async function startOllamaServer(options: OllamaServerOptions = {}): Promise<OllamaServer> {
  const server = await startServer(async (req, res, url) => {
    const opts = fake.options;
    if (opts.down) {
      req.socket.destroy();
      return;
    }
    if (opts.latencyMs) await sleep(opts.latencyMs);
    const route = `${req.method ?? 'GET'} ${url.pathname}`;
    const models = opts.models ?? DEFAULT_OLLAMA_MODELS;
    if (route === 'GET /api/version') {
      fake.calls.version++;
      sendJson(res, { version: opts.version ?? '0.12.3' });
    } else if (route === 'GET /api/tags') {
      fake.calls.tags++;
      sendJson(res, { models: models.map(describeModel) });
    } else if (route === 'POST /api/show') {
      fake.calls.show++;
      const body = await readJson<{ model?: string; name?: string }>(req);
      const name = installed(models, body.model ?? body.name ?? '');
      if (name) showModel(res, name, opts);
      else sendJson(res, { error: `model '${body.model ?? body.name ?? ''}' not found` }, 404);
    } else if (route === 'POST /api/chat') {
      fake.calls.chat++;
      const request = await readJson<ChatRequest>(req);
      const callIndex = fake.chatRequests.push(request) - 1;
      if (!installed(models, request.model)) {
        sendJson(res, notPulled(request.model), 404);
        return;
      }
      const refusal = refuse(request, opts);
      if (refusal) {
        sendJson(res, { error: refusal }, 400);
        return;
      }
      await load(request.model);
      res.on('close', () => {
        if (!res.writableFinished) fake.calls.droppedStreams++;
      });
      const turn = fake.options.script?.shift() ?? opts.respond?.(request, callIndex) ?? { content: 'ok' };
      const capabilities = capabilitiesOf(request.model, opts);
      const thinkInline = opts.ignoreThink === true || request.think !== true;
      await answerChat(res, request, capabilities.includes('thinking') ? { ...turn, thinkInline } : turn);
    } else if (route === 'POST /api/generate') {
      fake.calls.generate++;
      const request = await readJson<GenerateRequest>(req);
      fake.generateRequests.push(request);
      if (!installed(models, request.model)) {
        sendJson(res, notPulled(request.model), 404);
        return;
      }
      await load(request.model);
      // With no prompt Ollama only loads the model, and says so.
      sendJson(res, {
        model: request.model,
        created_at: new Date().toISOString(),
        response: '',
        done: true,
        done_reason: 'load',
      });
    } else if (route === 'POST /api/embed') {
      fake.calls.embed++;
      const request = await readJson<EmbedRequest>(req);
      fake.embedRequests.push(request);
      if (!installed(models, request.model)) {
        sendJson(res, notPulled(request.model), 404);
        return;
      }
      const inputs = typeof request.input === 'string' ? [request.input] : request.input;
      sendJson(res, {
        model: request.model,
        embeddings: inputs.map((text) => embedText(text, opts.embedDimensions ?? 768)),
        total_duration: 14_143_917,
        load_duration: 1_019_500,
        prompt_eval_count: inputs.reduce((sum, text) => sum + estimateTokens(text), 0),
      });
    } else {
      // Ollama's router (gin) answers unknown routes and wrong methods in plain text.
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('404 page not found');
    }
  });
  const load = async (model: string): Promise<void> => {
    if (fake.loaded.has(model)) return;
    if (fake.options.loadMs) await sleep(fake.options.loadMs);
    fake.loaded.add(model);
  };
  /** Why the server refuses a chat request outright (HTTP 400), as Ollama words it; counts silent truncation. */
  const refuse = (request: ChatRequest, opts: OllamaServerOptions): string | undefined => {
    const capabilities = capabilitiesOf(request.model, opts);
    if (request.tools?.length && !capabilities.includes('tools')) {
      return `registry.ollama.ai/library/${request.model} does not support tools`;
    }
    if (request.think === true && !capabilities.includes('thinking')) {
      return `"${request.model}" does not support thinking`;
    }
    const prompt = promptTokens([
      ...request.messages.map((m) => m.content),
      request.tools ? JSON.stringify(request.tools) : '',
    ]);
    const numCtx = typeof request.options?.num_ctx === 'number' ? request.options.num_ctx : DEFAULT_NUM_CTX;
    const context = Math.min(numCtx, contextLengthOf(request.model, opts));
    if (prompt > context) {
      if (opts.overflow === 'error')
        return `the input length (${prompt} tokens) exceeds the context length (${context})`;
      fake.truncatedPrompts++;
    }
    return undefined;
  };
  const fake: OllamaServer = {
    ...server,
    options: { ...options, script: [...(options.script ?? [])] },
    chatRequests: [],
    embedRequests: [],
    generateRequests: [],
    truncatedPrompts: 0,
    loaded: new Set(),
    embedInputCount: () =>
      fake.embedRequests.reduce((sum, r) => sum + (typeof r.input === 'string' ? 1 : r.input.length), 0),
    calls: { version: 0, tags: 0, show: 0, chat: 0, embed: 0, generate: 0, droppedStreams: 0 },
  };
  return fake;
}

async function answerChat(
  res: ServerResponse,
  request: ChatRequest,
  turn: ChatTurn & { thinkInline?: boolean },
): Promise<void> {
  if (turn.error !== undefined || turn.status !== undefined) {
    sendJson(res, { error: turn.error ?? 'internal server error' }, turn.status ?? 500);
    return;
  }
  const inline = turn.thinking && turn.thinkInline;
  const cap = outputCap(request.options?.num_predict);
  const capped = capReply(
    turn.thinking && !turn.thinkInline ? turn.thinking : '',
    inline ? `<think>${turn.thinking ?? ''}</think>\n\n${turn.content ?? ''}` : (turn.content ?? ''),
    cap,
    turn.runaway,
  );
  const { content, thinking } = capped;
  // Ollama's tool_calls: arguments as an object (not a JSON string); `index` is omitted when 0 (Go omitempty).
  const toolCalls = turn.toolCalls?.map(({ name, arguments: args }, index) => ({
    function: { ...(index ? { index } : {}), name, arguments: args },
  }));
  // Like a real server, the tool definitions are part of the prompt it evaluates.
  const promptEvalCount =
    turn.promptEvalCount ??
    promptTokens([...request.messages.map((m) => m.content), request.tools ? JSON.stringify(request.tools) : '']);
  const evalCount = capped.truncated && cap ? cap : (turn.evalCount ?? estimateTokens(thinking + content));
  const done = {
    // "length": the reply stopped at num_predict, not because the model was done.
    done_reason: capped.truncated ? 'length' : 'stop',
    done: true,
    total_duration: 12_000_000 + promptEvalCount * 1_000_000 + evalCount * 20_000_000,
    load_duration: 12_000_000,
    prompt_eval_count: promptEvalCount,
    prompt_eval_duration: promptEvalCount * 1_000_000,
    eval_count: evalCount,
    eval_duration: evalCount * 20_000_000,
  };
  const head = () => ({ model: request.model, created_at: new Date().toISOString() });
  if (request.stream === false) {
    if (turn.hangAfterChunks !== undefined) return stall(res);
    const message = {
      role: 'assistant',
      content,
      ...(thinking ? { thinking } : {}),
      ...(toolCalls ? { tool_calls: toolCalls } : {}),
    };
    sendJson(res, { ...head(), message, ...done });
    return;
  }
  // Ollama streams the reasoning first, in `thinking` with empty content, then the answer.
  const messages: Record<string, unknown>[] = [
    ...(thinking ? splitText(thinking, turn.chunkChars ?? 12) : []).map((piece) => ({
      role: 'assistant',
      content: '',
      thinking: piece,
    })),
    ...splitText(content, turn.chunkChars ?? 12).map((piece) => ({ role: 'assistant', content: piece })),
  ];
  // Ollama's tool parser emits the calls in their own chunk, with empty content.
  if (toolCalls) messages.push({ role: 'assistant', content: '', tool_calls: toolCalls });
  // Headers go out with the first line, as with Ollama: a stall before it looks like a slow model load.
  res.writeHead(200, { 'content-type': 'application/x-ndjson' });
  for (const [sent, message] of messages.entries()) {
    if (sent === turn.hangAfterChunks) return stall(res);
    if (sent > 0 && turn.chunkDelayMs) await sleep(turn.chunkDelayMs);
    res.write(`${JSON.stringify({ ...head(), message, done: false })}\n`);
  }
  if (turn.hangAfterChunks !== undefined && turn.hangAfterChunks >= messages.length) return stall(res);
  if (turn.runaway && cap === undefined)
    return runOn(res, (piece) => ({ ...head(), message: { role: 'assistant', content: piece }, done: false }));
  if (turn.chunkDelayMs) await sleep(turn.chunkDelayMs);
  res.end(`${JSON.stringify({ ...head(), message: { role: 'assistant', content: '' }, ...done })}\n`);
}

/** A model with no output cap that never stops: filler, a line every few milliseconds, until the client hangs up. */
export async function runOn(res: ServerResponse, line: (piece: string) => unknown, sse = false): Promise<void> {
  while (!res.destroyed && res.writable) {
    res.write(sse ? `data: ${JSON.stringify(line(RUNAWAY_FILLER))}\n\n` : `${JSON.stringify(line(RUNAWAY_FILLER))}\n`);
    await sleep(5);
  }
}

/** Keeps the response open until the client (or server.close()) drops the connection. */
export function stall(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => res.once('close', resolve));
}

export async function readJson<T>(req: IncomingMessage): Promise<T> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as T;
}

export function splitText(text: string, size: number): string[] {
  const pieces: string[] = [];
  for (let at = 0; at < text.length; at += Math.max(1, size)) pieces.push(text.slice(at, at + Math.max(1, size)));
  return pieces;
}

/** About four characters per token for English text: close enough for budgets, and predictable in tests. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/** The default prompt count: the characters of all message contents (and tool definitions) / 4, not a real tokenizer. */
export function promptTokens(contents: string[]): number {
  return estimateTokens(contents.join(''));
}

function installed(models: string[], name: string): string | undefined {
  return models.find((m) => m === name || m === `${name}:latest`);
}

function notPulled(model: string): { error: string } {
  return { error: `model "${model}" not found, try pulling it first` };
}

/** A unit vector seeded by the text (FNV-1a + mulberry32): equal texts embed equally, different ones do not. */
export function embedText(text: string, dimensions: number): number[] {
  let seed = 0x811c9dc5;
  for (const byte of Buffer.from(text, 'utf8')) seed = Math.imul(seed ^ byte, 0x01000193) >>> 0;
  const values: number[] = [];
  for (let i = 0; i < dimensions; i++) {
    seed = (seed + 0x6d2b79f5) >>> 0;
    let t = Math.imul(seed ^ (seed >>> 15), seed | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    values.push((((t ^ (t >>> 14)) >>> 0) / 2 ** 32) * 2 - 1);
  }
  const norm = Math.hypot(...values) || 1;
  return values.map((v) => v / norm);
}
