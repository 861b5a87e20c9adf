import { startTestServer } from '../../start-test-server';
import { FaultQueue } from '../shared/fault-queue';
import type { FakeChatCompletionRequest } from './fake-chat-completion-request';
import { defaultChatReply } from './fake-chat-default-reply';
import { createChatRequestHandler, type FakeChatFault, type FakeChatRecordedRequest, type FakeChatServerState } from './fake-chat-request-handler';

export type { FakeChatCompletionRequest, FakeChatMessage } from './fake-chat-completion-request';
export { chatMessageText } from './fake-chat-completion-request';
export { defaultChatReply } from './fake-chat-default-reply';
export type { FakeChatRecordedRequest } from './fake-chat-request-handler';
export { estimateChatTokens, estimatePromptTokens } from './fake-chat-token-estimate';

/** Options of {@link startFakeChatCompletionsServer}. */
export interface FakeChatCompletionsServerOptions {
  /** The one API key accepted (`Authorization: Bearer <apiKey>`). */
  readonly apiKey: string;
  /**
   * Context window, tokens; default 8192. Prompt estimate + `max_completion_tokens` (or
   * `max_tokens`, or 0) above it → 400 `context_length_exceeded`.
   */
  readonly contextWindowTokens?: number;
  /** The assistant text for a request; default {@link defaultChatReply}. */
  readonly reply?: (request: FakeChatCompletionRequest) => string | Promise<string>;
  /** Delay before each answer, ms; default 0. */
  readonly latencyMs?: number;
}

/** Options of {@link FakeChatCompletionsServer.failNext}. */
export interface FakeChatFailNextOptions {
  /** How many of the next requests (after the API key check) fail. */
  readonly count: number;
  /**
   * Default 429: `{ error: { type: 'requests', code: 'rate_limit_exceeded', ... } }` with a
   * `retry-after` header. 500/503 (any 5xx): `type: 'server_error'`, `code: null`.
   */
  readonly status?: number;
  /** `retry-after` header, seconds; default 1 for 429, none for 5xx. */
  readonly retryAfterSeconds?: number;
}

/**
 * A fake OpenAI chat completions API on a loopback port, in OpenAI's wire format, for the
 * `openai` npm client (6.x) unchanged:
 * ```ts
 * const openai = new OpenAI({ baseURL: server.baseURL, apiKey, maxRetries: 0 });
 * ```
 * `POST /v1/chat/completions` answers `{ id: 'chatcmpl-…', object: 'chat.completion', created
 * (seconds), model (echoed), choices: [{ index, message: { role: 'assistant', content, refusal:
 * null, annotations: [] }, finish_reason: 'stop' | 'length', logprobs: null }], usage: {
 * prompt_tokens, completion_tokens, total_tokens, ... } }`. Token counts are estimates,
 * `ceil(characters / 4)` (see {@link estimateChatTokens}); a reply longer than the completion
 * cap is cut to `cap * 4` characters with `finish_reason: 'length'`. `stream: true` is served
 * as server-sent `chat.completion.chunk` events.
 *
 * Errors are OpenAI's `{ error: { message, type, param, code } }`: 401 `invalid_api_key`, 400
 * `context_length_exceeded` (param `messages`), 429 `rate_limit_exceeded`, 5xx `server_error`,
 * 404 `Invalid URL (METHOD /path)` for any other route.
 */
export interface FakeChatCompletionsServer {
  /** `http://127.0.0.1:PORT`. */
  readonly origin: string;
  /** `origin + '/v1'`: the client's `baseURL`. */
  readonly baseURL: string;
  /** The next `count` authenticated requests fail (queued after earlier failNext calls). */
  failNext(options: FakeChatFailNextOptions): void;
  /** Delay before each answer from now on, ms. */
  setLatencyMs(ms: number): void;
  /** Every request answered, in order, with its parsed body and headers (retries included). */
  readonly requests: ReadonlyArray<FakeChatRecordedRequest>;
  /** Stops listening and cuts connections. Idempotent. */
  close(): Promise<void>;
}

/** Starts a {@link FakeChatCompletionsServer} on 127.0.0.1 at a free port. */
export async function startFakeChatCompletionsServer(options: FakeChatCompletionsServerOptions): Promise<FakeChatCompletionsServer> {
  const closing = new AbortController();
  const state: FakeChatServerState = {
    apiKey: options.apiKey,
    contextWindowTokens: options.contextWindowTokens ?? 8192,
    reply: options.reply ?? defaultChatReply,
    faults: new FaultQueue<FakeChatFault>(),
    requests: [],
    latencyMs: options.latencyMs ?? 0,
    closing: closing.signal,
  };
  const server = await startTestServer(createChatRequestHandler(state));
  let closed: Promise<void> | undefined;
  return {
    origin: server.origin,
    baseURL: `${server.origin}/v1`,
    requests: state.requests,
    failNext({ count, status = 429, retryAfterSeconds }) {
      if (status !== 429 && (status < 500 || status > 599)) throw new Error(`failNext takes 429 or a 5xx status, got ${status}`);
      state.faults.add(count, {}, () => ({ status, retryAfterSeconds: retryAfterSeconds ?? (status === 429 ? 1 : undefined) }));
    },
    setLatencyMs(ms) {
      state.latencyMs = ms;
    },
    close() {
      closed ??= (async () => {
        closing.abort();
        await server.close();
      })();
      return closed;
    },
  };
}
