import OpenAI from 'openai';
import { parseRetryAfterMs } from '@jobs/worker-kit';
import { ProviderThrottledError } from '../providers/provider-throttled-error';
import { ProviderUnavailableError } from '../providers/provider-unavailable-error';
import { ContextLengthExceededError } from './context-length-exceeded-error';
import type { PromptMessage } from './build-draft-prompt';

/** A written reply and the model's accounting. */
export interface WrittenReply {
  readonly body: string;
  /** The model that answered (as the server reports it). */
  readonly model: string;
  readonly promptTokens: number;
  readonly completionTokens: number;
}

/** Writes a reply body from a chat prompt. */
export interface ReplyWriter {
  /**
   * @throws ContextLengthExceededError when the server says the prompt is too long;
   *   ProviderThrottledError on 429; ProviderUnavailableError on 5xx or no answer.
   */
  write(messages: readonly PromptMessage[], signal: AbortSignal): Promise<WrittenReply>;
}

/** Options of {@link OpenAiReplyWriter}. */
export interface OpenAiReplyWriterOptions {
  /** OpenAI-compatible base URL, e.g. `https://api.openai.com/v1`, an Azure OpenAI `/openai/v1/` URL, or a self-hosted server. */
  readonly baseUrl: string;
  readonly apiKey: string;
  readonly model: string;
  /** `max_tokens` of the reply. */
  readonly maxOutputTokens: number;
  readonly temperature: number;
  /** Per request (ms). */
  readonly timeoutMs: number;
}

/**
 * Chat completions through the official `openai` client, with its own retries off
 * (`maxRetries: 0`): a 429 goes back to the job as ProviderThrottledError honouring
 * `retry-after`, so the worker slot is not held while waiting.
 */
export class OpenAiReplyWriter implements ReplyWriter {
  private readonly client: OpenAI;

  constructor(private readonly options: OpenAiReplyWriterOptions) {
    this.client = new OpenAI({ baseURL: options.baseUrl, apiKey: options.apiKey, maxRetries: 0, timeout: options.timeoutMs });
  }

  async write(messages: readonly PromptMessage[], signal: AbortSignal): Promise<WrittenReply> {
    try {
      const completion = await this.client.chat.completions.create(
        {
          model: this.options.model,
          messages: messages.map((m) => ({ role: m.role, content: m.content })),
          max_tokens: this.options.maxOutputTokens,
          temperature: this.options.temperature,
        },
        { signal },
      );
      const body = completion.choices[0]?.message?.content?.trim() ?? '';
      if (body === '') throw new ProviderUnavailableError('The chat completions server answered without text');
      return {
        body,
        model: completion.model,
        promptTokens: completion.usage?.prompt_tokens ?? 0,
        completionTokens: completion.usage?.completion_tokens ?? 0,
      };
    } catch (err) {
      if (err instanceof OpenAI.APIUserAbortError) throw err;
      if (err instanceof OpenAI.BadRequestError && err.code === 'context_length_exceeded') {
        throw new ContextLengthExceededError(err.message, { cause: err });
      }
      if (err instanceof OpenAI.AuthenticationError) {
        throw new Error(`The chat completions API refused the API key (HTTP 401): check OPENAI_API_KEY`, { cause: err });
      }
      if (err instanceof OpenAI.RateLimitError) {
        throw new ProviderThrottledError(parseRetryAfterMs(err.headers?.get('retry-after')), `Chat completions: ${err.message}`, { cause: err });
      }
      if (err instanceof OpenAI.APIConnectionError || (err instanceof OpenAI.APIError && (err.status ?? 0) >= 500)) {
        throw new ProviderUnavailableError(`Chat completions: ${err.message}`, { cause: err });
      }
      throw err;
    }
  }
}
