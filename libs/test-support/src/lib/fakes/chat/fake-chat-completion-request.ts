/** One message of a chat completion request, as OpenAI's wire format has it. */
export interface FakeChatMessage {
  /** `system`, `developer`, `user`, `assistant` or `tool`. */
  readonly role: string;
  /** Text, or content parts of which the `text` ones are read; `null`/absent for some assistant turns. */
  readonly content?: string | ReadonlyArray<{ readonly type: string; readonly text?: string }> | null;
  readonly name?: string;
}

/**
 * The body of `POST /v1/chat/completions` as the fake reads it. Fields the fake does not use are
 * kept (and recorded) as sent.
 */
export interface FakeChatCompletionRequest {
  readonly model: string;
  readonly messages: readonly FakeChatMessage[];
  readonly temperature?: number;
  /** Legacy completion cap, tokens. */
  readonly max_tokens?: number;
  /** Completion cap, tokens; wins over `max_tokens` when both are set. */
  readonly max_completion_tokens?: number;
  readonly stream?: boolean;
  readonly stream_options?: { readonly include_usage?: boolean };
  /** How many choices; default 1. */
  readonly n?: number;
  readonly [key: string]: unknown;
}

/** The text of a message: the string, or its text parts joined with newlines. */
export function chatMessageText(message: FakeChatMessage): string {
  if (typeof message.content === 'string') return message.content;
  if (!message.content) return '';
  return message.content
    .filter((part) => part.type === 'text' && typeof part.text === 'string')
    .map((part) => part.text)
    .join('\n');
}
