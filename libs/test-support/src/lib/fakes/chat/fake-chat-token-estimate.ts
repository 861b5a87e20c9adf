import { chatMessageText, type FakeChatMessage } from './fake-chat-completion-request';

/**
 * The fake's token count for `text`: `ceil(characters / 4)` (UTF-16 code units), OpenAI's own
 * rule of thumb for English. Not a tokenizer: real counts differ, especially for non-English
 * text and code. An empty string is 0 tokens.
 */
export function estimateChatTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/**
 * The fake's prompt token count: the sum of {@link estimateChatTokens} over each message's text
 * (no per-message overhead, roles and names not counted).
 */
export function estimatePromptTokens(messages: readonly FakeChatMessage[]): number {
  return messages.reduce((sum, message) => sum + estimateChatTokens(chatMessageText(message)), 0);
}
