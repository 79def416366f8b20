import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  capReply,
  estimateTokens,
  outputCap,
  promptTokens,
  readJson,
  runOn,
  splitText,
  stall,
  type ChatTurn,
} from './ollama-server.ts';
import { sendJson, sleep, startServer, type LocalServer } from './server.ts';

export type { ChatTurn, ScriptedToolCall } from './ollama-server.ts';

export interface OpenAIToolCall {
  id: string;
  type: 'function';
  /** A JSON string, unlike Ollama's object. */
  function: { name: string; arguments: string };
}

export interface OpenAIMessage {
  role: string;
  content: string | { type: string; text?: string }[] | null;
  tool_calls?: OpenAIToolCall[];
  tool_call_id?: string;
  name?: string;
}

/** The parsed body of POST /v1/chat/completions (the fields tests look at; the rest is kept as sent). */
export interface OpenAIChatRequest {
  model: string;
  messages: OpenAIMessage[];
  tools?: { type: string; function: { name: string; description?: string; parameters?: unknown } }[];
  tool_choice?: unknown;
  response_format?: { type: string; json_schema?: unknown };
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
  temperature?: number;
  max_tokens?: number;
  max_completion_tokens?: number;
  [key: string]: unknown;
}

export interface OpenAIServerOptions {
  /** Served by /v1/models; a chat for any other model gets OpenAI's 404 model_not_found. */
  models?: string[];
  ownedBy?: string;
  /** When set, every /v1 route requires `Authorization: Bearer <apiKey>`, as a hosted or keyed server does. */
  apiKey?: string;
  /** Consumed in order, one turn per chat call. */
  script?: ChatTurn[];
  /** Answers chat calls once the script is used up; the default says "ok". */
  respond?: (request: OpenAIChatRequest, callIndex: number) => ChatTurn;
  latencyMs?: number;
  /** Every request gets its socket reset without an answer (see OllamaServerOptions.down). */
  down?: boolean;
}

export interface OpenAIServer extends LocalServer {
  /** For ChatOpenAI's `configuration.baseURL`: the base URL plus /v1. */
  apiBaseUrl: string;
  /** Mutable while the server runs. */
  options: OpenAIServerOptions;
  chatRequests: OpenAIChatRequest[];
  /** Requests per route; `droppedStreams` counts chat answers the client hung up on before they finished. */
  calls: { models: number; chat: number; droppedStreams: number };
}

export const DEFAULT_OPENAI_MODELS = ['llama-3.2-3b-instruct'];

export async function startOpenAIServer(options: OpenAIServerOptions = {}): Promise<OpenAIServer> {
  const server = await startServer(async (req, res, url) => {
    const opts = fake.options;
    if (opts.down) {
      req.socket.destroy();
      return;
    }
    if (opts.latencyMs) await sleep(opts.latencyMs);
    if (!authorized(req, res, opts.apiKey)) return;
    const route = `${req.method ?? 'GET'} ${url.pathname}`;
    const models = opts.models ?? DEFAULT_OPENAI_MODELS;
    if (route === 'GET /v1/models') {
      fake.calls.models++;
      const data = models.map((id) => ({
        id,
        object: 'model',
        created: 1_727_000_000,
        owned_by: opts.ownedBy ?? 'organization_owner',
      }));
      sendJson(res, { object: 'list', data });
    } else if (route === 'POST /v1/chat/completions') {
      fake.calls.chat++;
      const request = await readJson<OpenAIChatRequest>(req);
      const callIndex = fake.chatRequests.push(request) - 1;
      if (!models.includes(request.model)) {
        const message = `The model \`${request.model}\` does not exist or you do not have access to it.`;
        sendError(res, 404, message, 'model_not_found');
        return;
      }
      res.on('close', () => {
        if (!res.writableFinished) fake.calls.droppedStreams++;
      });
      const turn = opts.script?.shift() ?? opts.respond?.(request, callIndex) ?? { content: 'ok' };
      await answerChat(res, request, turn, callIndex);
    } else {
      sendError(res, 404, `Unexpected endpoint or method. (${route})`, null);
    }
  });
  const fake: OpenAIServer = {
    ...server,
    apiBaseUrl: `${server.baseUrl}/v1`,
    options: { ...options, script: [...(options.script ?? [])] },
    chatRequests: [],
    calls: { models: 0, chat: 0, droppedStreams: 0 },
  };
  return fake;
}

/** OpenAI's error body; the SDK turns `error.message` into the thrown error's message, prefixed by the status. */
function sendError(res: ServerResponse, status: number, message: string, code: string | null): void {
  const type = status >= 500 ? 'server_error' : 'invalid_request_error';
  sendJson(res, { error: { message, type, param: null, code } }, status);
}

function authorized(req: IncomingMessage, res: ServerResponse, apiKey: string | undefined): boolean {
  if (apiKey === undefined) return true;
  const given = /^Bearer (.*)$/.exec(req.headers.authorization ?? '')?.[1];
  if (given === apiKey) return true;
  const message = given
    ? `Incorrect API key provided: ${given.slice(0, 3)}***${given.slice(-4)}.`
    : "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth.";
  sendError(res, 401, message, given ? 'invalid_api_key' : null);
  return false;
}

function textOf(content: OpenAIMessage['content']): string {
  if (typeof content === 'string') return content;
  return (content ?? []).map((part) => part.text ?? '').join('');
}

async function answerChat(
  res: ServerResponse,
  request: OpenAIChatRequest,
  turn: ChatTurn,
  callIndex: number,
): Promise<void> {
  if (turn.error !== undefined || turn.status !== undefined) {
    sendError(res, turn.status ?? 500, turn.error ?? 'The server had an error while processing your request.', null);
    return;
  }
  // max_completion_tokens is what the SDK sends for reasoning models, max_tokens for the rest.
  const cap = outputCap(request.max_tokens ?? request.max_completion_tokens);
  const capped = capReply('', turn.content ?? '', cap, turn.runaway);
  const content = capped.content;
  const toolCalls: OpenAIToolCall[] | undefined = turn.toolCalls?.map((call, i) => ({
    id: `call_${callIndex}_${i}`,
    type: 'function',
    function: { name: call.name, arguments: JSON.stringify(call.arguments) },
  }));
  const promptCount = turn.promptEvalCount ?? promptTokens(request.messages.map((m) => textOf(m.content)));
  const completionCount = capped.truncated && cap ? cap : (turn.evalCount ?? estimateTokens(content));
  const usage = {
    prompt_tokens: promptCount,
    completion_tokens: completionCount,
    total_tokens: promptCount + completionCount,
  };
  const finishReason = capped.truncated ? 'length' : toolCalls ? 'tool_calls' : 'stop';
  const head = (object: string) => ({
    id: `chatcmpl-fake${callIndex}`,
    object,
    created: Math.floor(Date.now() / 1000),
    model: request.model,
    system_fingerprint: 'fp_fake',
  });
  if (!request.stream) {
    if (turn.hangAfterChunks !== undefined) return stall(res);
    const message = {
      role: 'assistant',
      content: toolCalls && !content ? null : content,
      refusal: null,
      tool_calls: toolCalls,
    };
    const choice = { index: 0, message, logprobs: null, finish_reason: finishReason };
    sendJson(res, { ...head('chat.completion'), choices: [choice], usage });
    return;
  }
  const withUsage = request.stream_options?.include_usage === true;
  // With include_usage on, OpenAI puts `usage: null` on every chunk but the extra last one.
  const chunk = (delta: Record<string, unknown>, finish: string | null = null) => ({
    ...head('chat.completion.chunk'),
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
    ...(withUsage ? { usage: null } : {}),
  });
  const chunkChars = turn.chunkChars ?? 12;
  const deltas: Record<string, unknown>[] = [{ role: 'assistant', content: '', refusal: null }];
  for (const piece of splitText(content, chunkChars)) deltas.push({ content: piece });
  // Like OpenAI: a call opens with id and name, then its arguments arrive in fragments keyed by `index`.
  for (const [index, call] of (toolCalls ?? []).entries()) {
    deltas.push({
      tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.function.name, arguments: '' } }],
    });
    for (const piece of splitText(call.function.arguments, chunkChars)) {
      deltas.push({ tool_calls: [{ index, function: { arguments: piece } }] });
    }
  }
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
  const send = (payload: unknown) => res.write(`data: ${JSON.stringify(payload)}\n\n`);
  // `hangAfterChunks` counts every delta event, the opening role-only one included.
  for (const [sent, delta] of deltas.entries()) {
    if (sent === turn.hangAfterChunks) return stall(res);
    if (sent > 0 && turn.chunkDelayMs) await sleep(turn.chunkDelayMs);
    send(chunk(delta));
  }
  if (turn.hangAfterChunks !== undefined && turn.hangAfterChunks >= deltas.length) return stall(res);
  if (turn.runaway && cap === undefined) return runOn(res, (piece) => chunk({ content: piece }), true);
  send(chunk({}, finishReason));
  if (withUsage) send({ ...head('chat.completion.chunk'), choices: [], usage });
  res.end('data: [DONE]\n\n');
}
