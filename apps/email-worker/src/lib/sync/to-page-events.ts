import type { MailboxEvent } from '@jobs/queue-contracts';
import { mailboxKey, type MailboxRef } from '../mailbox-ref';
import type { SyncPage } from '../providers/mail-provider';
import { parseMessage } from './parse-message';

/**
 * Sync step: the app-facing events of one page, in the page's order: a `deleted` event per
 * deletion, a `message` event per new or changed message (parsed with mailparser). Event ids
 * are `<provider>:<accountId>:<messageId>:<version>` (`:deleted:<version>` for deletions), so
 * the sink recognises a page read twice.
 */
export async function toPageEvents(mailbox: MailboxRef, page: SyncPage): Promise<MailboxEvent[]> {
  const base = { userId: mailbox.userId, accountId: mailbox.accountId, provider: mailbox.provider };
  const prefix = mailboxKey(mailbox);
  const events: MailboxEvent[] = [];
  for (const change of page.changes) {
    if (change.kind === 'deleted') {
      events.push({
        ...base,
        type: 'deleted',
        eventId: `${prefix}:${change.messageId}:deleted:${change.version}`,
        messageId: change.messageId,
      });
    } else {
      const message = await parseMessage(change.message);
      events.push({ ...base, type: 'message', eventId: `${prefix}:${message.id}:${message.version}`, change: change.change, message });
    }
  }
  return events;
}
