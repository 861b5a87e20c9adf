import type { JobData } from '@jobs/queue-contracts';
import type { Logger } from '@jobs/worker-kit';
import { buildDraftPrompt, type QuotedMessage } from './build-draft-prompt';
import type { DraftRecord } from './draft-record-store';
import type { DraftThread } from './read-draft-thread';
import { type ReplyWriter } from './reply-writer';
import { ContextLengthExceededError } from './context-length-exceeded-error';

/** A reply as recorded: the writer's answer and how many thread messages the prompt left out. */
export type DraftReply = NonNullable<DraftRecord['reply']>;

/** What {@link writeReply} needs. */
export interface WriteReplyInput {
  readonly writer: ReplyWriter;
  readonly data: Pick<JobData<'EMAIL_DRAFT'>, 'tone' | 'context'>;
  readonly thread: DraftThread;
  /** The mailbox's own address: the prompt writes as its owner. */
  readonly owner: string;
  /** The model's context window and the tokens kept for the reply (`max_tokens`). */
  readonly contextWindowTokens: number;
  readonly maxOutputTokens: number;
  readonly log: Logger;
  readonly signal: AbortSignal;
}

/** Longest thread message text quoted before budgeting (characters). */
const MAX_QUOTED_CHARS = 20_000;
/** Prompts rebuilt with half the budget after the server finds one too long. */
const MAX_SHORTER_PROMPTS = 3;

const formatAddresses = (list: readonly { name: string; address: string }[]) =>
  list.map((a) => (a.name ? `${a.name} <${a.address}>` : a.address)).join(', ');

/**
 * Draft step 3: the reply written by the chat model from the thread, the tone and the context.
 * The thread is quoted newest first within the model's window (buildDraftPrompt); a prompt the
 * server still finds too long (`context_length_exceeded`: token counts differ between
 * tokenizers) is rebuilt with half the budget, up to three times.
 * @throws ContextLengthExceededError after three shorter prompts; the writer's errors
 *   (ProviderThrottledError, ProviderUnavailableError) as they come.
 */
export async function writeReply(input: WriteReplyInput): Promise<DraftReply> {
  const quoted: QuotedMessage[] = input.thread.parsed.map((m) => ({
    from: formatAddresses(m.from),
    to: formatAddresses(m.to),
    date: m.date,
    subject: m.subject,
    text: (m.text ?? '').slice(0, MAX_QUOTED_CHARS),
  }));
  let budget = input.contextWindowTokens - input.maxOutputTokens;
  for (let tries = 0; ; tries += 1) {
    const prompt = buildDraftPrompt({ ownerAddress: input.owner, tone: input.data.tone, context: input.data.context, thread: quoted, budgetTokens: budget });
    try {
      const written = await input.writer.write(prompt.messages, input.signal);
      return { ...written, truncatedMessages: prompt.truncatedMessages };
    } catch (err) {
      if (!(err instanceof ContextLengthExceededError) || tries >= MAX_SHORTER_PROMPTS) throw err;
      budget = Math.floor(budget / 2);
      input.log.warn({ budget }, 'prompt too long for the model: quoting less of the thread');
    }
  }
}
