import { randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { bearerToken } from '../shared/bearer-token';
import type { FaultQueue } from '../shared/fault-queue';
import { readRequestBody } from '../shared/read-request-body';
import { reportHandlerBugs } from '../shared/report-handler-bugs';
import { waitLatency } from '../shared/wait-latency';
import type { RecordedRequest } from '../shared/recorded-request';
import type { FakeChatCompletionRequest } from './fake-chat-completion-request';
import { estimateChatTokens, estimatePromptTokens } from './fake-chat-token-estimate';

/** One request the fake chat server answered. */
export interface FakeChatRecordedRequest extends RecordedRequest {
  /** Node's lower-case names, e.g. `authorization`, `x-stainless-retry-count` (set by the openai client). */
  readonly headers: IncomingHttpHeaders;
  /** The parsed JSON body; `undefined` when empty or not JSON. */
  readonly body: FakeChatCompletionRequest | undefined;
}

/** An injected failure, answered to one request. */
export interface FakeChatFault {
  readonly status: number;
  readonly retryAfterSeconds?: number;
}

/** Everything the handler reads and writes; owned by the server. */
export interface FakeChatServerState {
  readonly apiKey: string;
  readonly contextWindowTokens: number;
  readonly reply: (request: FakeChatCompletionRequest) => string | Promise<string>;
  readonly faults: FaultQueue<FakeChatFault>;
  readonly requests: FakeChatRecordedRequest[];
  latencyMs: number;
  readonly closing: AbortSignal;
}

/** OpenAI's error body: `{ error: { message, type, param, code } }`. */
class OpenAiHttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly type: string,
    readonly param: string | null = null,
    readonly code: string | null = null,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }
}

/**
 * The fake's pipeline: latency, route (`POST /v1/chat/completions`, else 404 "Invalid URL"), API
 * key (401), injected faults, body validation (400), context window (400
 * context_length_exceeded), then the completion, as JSON or, with `stream: true`, as
 * server-sent events ending in `data: [DONE]`. Every answer has an `x-request-id`.
 */
export function createChatRequestHandler(state: FakeChatServerState): (req: IncomingMessage, res: ServerResponse) => void {
  return reportHandlerBugs('fake chat server', (req, res) => handle(state, req, res));
}

async function handle(state: FakeChatServerState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const at = Date.now();
  const path = (req.url ?? '/').split('?')[0];
  const raw = await readRequestBody(req);
  let body: FakeChatCompletionRequest | undefined;
  try {
    body = raw.length ? (JSON.parse(raw.toString('utf8')) as FakeChatCompletionRequest) : undefined;
  } catch {
    body = undefined;
  }
  const headers = { 'x-request-id': `req_${randomBytes(16).toString('hex')}`, 'openai-version': '2020-10-01' };
  const record = (status: number): void => {
    state.requests.push({ method: req.method ?? 'GET', path, headers: req.headers, body, status, at });
  };
  try {
    await waitLatency(state.latencyMs, state.closing);
    if (req.method !== 'POST' || path.replace(/\/+$/, '') !== '/v1/chat/completions') {
      throw new OpenAiHttpError(404, `Invalid URL (${req.method} ${path})`, 'invalid_request_error');
    }
    authenticate(state, req.headers.authorization);
    takeFault(state, req.method ?? 'GET', path);
    const request = validate(raw, body);
    const completion = await complete(state, request);
    record(200);
    if (request.stream) {
      res.writeHead(200, { ...headers, 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache' });
      for (const chunk of streamChunks(completion, request)) res.write(`data: ${JSON.stringify(chunk)}\n\n`);
      res.end('data: [DONE]\n\n');
      return;
    }
    send(res, 200, headers, completion);
  } catch (err) {
    if (!(err instanceof OpenAiHttpError)) throw err;
    record(err.status);
    send(res, err.status, { ...headers, ...err.headers }, { error: { message: err.message, type: err.type, param: err.param, code: err.code } });
  }
}

function authenticate(state: FakeChatServerState, authorization: string | undefined): void {
  const key = bearerToken(authorization);
  if (!key) {
    throw new OpenAiHttpError(
      401,
      "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY). You can obtain an API key from https://platform.openai.com/account/api-keys.",
      'invalid_request_error',
    );
  }
  if (key !== state.apiKey) {
    const masked = key.length > 8 ? `${key.slice(0, 3)}${'*'.repeat(key.length - 7)}${key.slice(-4)}` : '*'.repeat(key.length);
    throw new OpenAiHttpError(
      401,
      `Incorrect API key provided: ${masked}. You can find your API key at https://platform.openai.com/account/api-keys.`,
      'invalid_request_error',
      null,
      'invalid_api_key',
    );
  }
}

function takeFault(state: FakeChatServerState, method: string, path: string): void {
  const fault = state.faults.take(method, path);
  if (!fault) return;
  const headers: Record<string, string> = fault.retryAfterSeconds === undefined ? {} : { 'retry-after': String(fault.retryAfterSeconds) };
  if (fault.status === 429) {
    throw new OpenAiHttpError(
      429,
      'Rate limit reached for requests per min (RPM): Limit 3, Used 3, Requested 1. Please try again later. Visit https://platform.openai.com/account/rate-limits to learn more.',
      'requests',
      null,
      'rate_limit_exceeded',
      headers,
    );
  }
  const message = fault.status === 503 ? 'The engine is currently overloaded, please try again later.' : 'The server had an error while processing your request. Sorry about that!';
  throw new OpenAiHttpError(fault.status, message, 'server_error', null, null, headers);
}

function validate(raw: Buffer, body: FakeChatCompletionRequest | undefined): FakeChatCompletionRequest {
  if (raw.length > 0 && body === undefined) {
    throw new OpenAiHttpError(
      400,
      "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON.)",
      'invalid_request_error',
    );
  }
  if (typeof body?.model !== 'string' || body.model === '') {
    throw new OpenAiHttpError(400, 'you must provide a model parameter', 'invalid_request_error');
  }
  if (!Array.isArray(body.messages)) {
    throw new OpenAiHttpError(400, "Missing required parameter: 'messages'.", 'invalid_request_error', 'messages', 'missing_required_parameter');
  }
  if (body.messages.length === 0) {
    const message = "Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead.";
    throw new OpenAiHttpError(400, message, 'invalid_request_error', 'messages', 'empty_array');
  }
  return body;
}

interface Completion {
  readonly id: string;
  readonly object: 'chat.completion';
  readonly created: number;
  readonly model: string;
  readonly choices: Array<{
    index: number;
    message: { role: 'assistant'; content: string; refusal: null; annotations: [] };
    logprobs: null;
    finish_reason: 'stop' | 'length';
  }>;
  readonly usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number; readonly [key: string]: unknown };
  readonly [key: string]: unknown;
}

async function complete(state: FakeChatServerState, request: FakeChatCompletionRequest): Promise<Completion> {
  const promptTokens = estimatePromptTokens(request.messages);
  const maxTokens = request.max_completion_tokens ?? request.max_tokens;
  const window = state.contextWindowTokens;
  if (promptTokens + (maxTokens ?? 0) > window) {
    // OpenAI's wording, with the fake's token estimate.
    const message =
      maxTokens === undefined
        ? `This model's maximum context length is ${window} tokens. However, your messages resulted in ${promptTokens} tokens. Please reduce the length of the messages.`
        : `This model's maximum context length is ${window} tokens. However, you requested ${promptTokens + maxTokens} tokens (${promptTokens} in the messages, ${maxTokens} in the completion). Please reduce the length of the messages or completion.`;
    throw new OpenAiHttpError(400, message, 'invalid_request_error', 'messages', 'context_length_exceeded');
  }
  let content = await state.reply(request);
  let finishReason: 'stop' | 'length' = 'stop';
  if (maxTokens !== undefined && estimateChatTokens(content) > maxTokens) {
    content = content.slice(0, maxTokens * 4);
    finishReason = 'length';
  }
  const n = Number.isInteger(request.n) && (request.n as number) > 0 ? (request.n as number) : 1;
  const completionTokens = estimateChatTokens(content) * n;
  return {
    id: `chatcmpl-${randomBytes(15).toString('base64url')}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: request.model,
    choices: Array.from({ length: n }, (_, index) => ({
      index,
      message: { role: 'assistant', content, refusal: null, annotations: [] },
      logprobs: null,
      finish_reason: finishReason,
    })),
    usage: {
      prompt_tokens: promptTokens,
      completion_tokens: completionTokens,
      total_tokens: promptTokens + completionTokens,
      prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
    },
    service_tier: 'default',
    system_fingerprint: 'fp_fake',
  };
}

/** `chat.completion.chunk` objects: a role delta, the text in ~16-character deltas, the finish, usage if asked. */
function* streamChunks(completion: Completion, request: FakeChatCompletionRequest): Generator<Record<string, unknown>> {
  const { id, created, model } = completion;
  const base = { id, object: 'chat.completion.chunk', created, model, system_fingerprint: 'fp_fake' };
  const withUsage = request.stream_options?.include_usage === true;
  const chunk = (choices: unknown[]): Record<string, unknown> => ({ ...base, choices, ...(withUsage ? { usage: null } : {}) });
  for (const choice of completion.choices) {
    yield chunk([{ index: choice.index, delta: { role: 'assistant', content: '', refusal: null }, logprobs: null, finish_reason: null }]);
    for (const piece of choice.message.content.match(/[\s\S]{1,16}/g) ?? []) {
      yield chunk([{ index: choice.index, delta: { content: piece }, logprobs: null, finish_reason: null }]);
    }
    yield chunk([{ index: choice.index, delta: {}, logprobs: null, finish_reason: choice.finish_reason }]);
  }
  if (withUsage) yield { ...base, choices: [], usage: completion.usage };
}

function send(res: ServerResponse, status: number, headers: Record<string, string>, json: unknown): void {
  const body = Buffer.from(JSON.stringify(json), 'utf8');
  res.writeHead(status, { ...headers, 'Content-Type': 'application/json', 'Content-Length': String(body.length) });
  res.end(body);
}
