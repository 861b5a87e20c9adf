import type { JobResult } from '@jobs/queue-contracts';
import type { SavedDraft } from './save-draft';
import type { DraftReply } from './write-reply';

/**
 * Draft step 5: the `EMAIL_DRAFT` result (checked by the worker kit against the contract's
 * result schema): the draft's ids and subject, the reply's body and the model's accounting.
 */
export function toDraftResult(saved: SavedDraft, reply: DraftReply): JobResult<'EMAIL_DRAFT'> {
  return {
    draftId: saved.draftId,
    threadId: saved.threadId,
    subject: saved.subject,
    body: reply.body,
    model: reply.model,
    promptTokens: reply.promptTokens,
    completionTokens: reply.completionTokens,
    truncatedMessages: reply.truncatedMessages,
  };
}
