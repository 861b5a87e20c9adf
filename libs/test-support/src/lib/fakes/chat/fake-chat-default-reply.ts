import { chatMessageText, type FakeChatCompletionRequest } from './fake-chat-completion-request';

/**
 * The fake's default assistant text, a pure function of the request so tests can assert on it:
 *
 * - tone: the last `Tone: X` (case-insensitive, up to the end of the line or a `.`) in the
 *   `system`/`developer` messages, else `neutral`;
 * - subject: the last `Subject: ...` line in the `user` messages (the newest quoted email when a
 *   prompt quotes a thread), else none.
 *
 * Result: `Thank you for your message about "<subject>". This reply is written in a <tone>
 * tone.\n\nBest regards` (without ` about "<subject>"` when there is no subject).
 */
export function defaultChatReply(request: FakeChatCompletionRequest): string {
  const instructions = request.messages.filter((m) => m.role === 'system' || m.role === 'developer').map(chatMessageText).join('\n');
  const userText = request.messages.filter((m) => m.role === 'user').map(chatMessageText).join('\n');
  const tone = lastMatch(instructions, /Tone:[ \t]*([^\n.]+)/gi) ?? 'neutral';
  const subject = lastMatch(userText, /^[ \t>]*Subject:[ \t]*(.+?)[ \t]*$/gim);
  return `Thank you for your message${subject ? ` about "${subject}"` : ''}. This reply is written in a ${tone} tone.\n\nBest regards`;
}

function lastMatch(text: string, pattern: RegExp): string | undefined {
  let found: string | undefined;
  for (const match of text.matchAll(pattern)) found = match[1].trim() || found;
  return found;
}
