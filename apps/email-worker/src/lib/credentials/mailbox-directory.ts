import type { MailboxRef } from '../mailbox-ref';

/**
 * Which mailboxes a user has connected, asked of the web app at run time (job data need not
 * name one: the seed README's `addEmailDraftJob` carries only `userId` and `threadId`).
 */
export interface MailboxDirectory {
  /**
   * The user's connected mailboxes, in the app's order; empty when the user has none (or the
   * app does not know the user). Only providers this worker serves are listed.
   * @throws Error (transient) when the app cannot be asked or answers something unreadable.
   */
  listMailboxes(userId: string, signal?: AbortSignal): Promise<MailboxRef[]>;
}
