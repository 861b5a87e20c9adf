import type { EmailProvider } from '@jobs/queue-contracts';

/** One connected mailbox: whose it is, which account, which provider. */
export interface MailboxRef {
  readonly userId: string;
  readonly accountId: string;
  readonly provider: EmailProvider;
}

/** `provider:accountId`, the part of Redis keys and event ids that names a mailbox. */
export function mailboxKey(mailbox: MailboxRef): string {
  return `${mailbox.provider}:${mailbox.accountId}`;
}
