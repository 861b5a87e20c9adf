import type { EmailProvider } from '@jobs/queue-contracts';
import { MailboxNotConnectedError } from '../credentials/mailbox-not-connected-error';
import type { MailboxDirectory } from '../credentials/mailbox-directory';
import { mailboxKey, type MailboxRef } from '../mailbox-ref';
import type { MailProvider, ThreadMessage } from '../providers/mail-provider';
import { ProviderNotFoundError } from '../providers/provider-not-found-error';
import { ProviderRejectedError } from '../providers/provider-rejected-error';
import { DraftMailboxUnresolvedError } from './draft-mailbox-unresolved-error';

/** What {@link findThreadMailbox} needs. */
export interface FindThreadMailboxInput {
  readonly directory: MailboxDirectory;
  readonly providers: Readonly<Record<EmailProvider, MailProvider>>;
  readonly userId: string;
  readonly threadId: string;
  /** Narrows the search when the job names one of the two (an `accountId` or an `emailProvider`). */
  readonly only?: { readonly accountId?: string; readonly provider?: EmailProvider };
  readonly signal: AbortSignal;
}

/** The mailbox that holds the thread, and the thread as read from it (not to be read twice). */
export interface ThreadMailbox {
  readonly mailbox: MailboxRef;
  readonly thread: ThreadMessage[];
}

type Probe = { mailbox: MailboxRef } & ({ kind: 'holds'; thread: ThreadMessage[] } | { kind: 'absent' } | { kind: 'unreadable'; why: string });

const names = (list: readonly { mailbox: MailboxRef }[]) => list.map((p) => mailboxKey(p.mailbox)).join(', ');

/**
 * Finds which of the user's connected mailboxes holds `threadId`: lists them through the app
 * (MailboxDirectory), then asks each one's provider for the thread (`readThread`: Gmail
 * `threads.get`, Graph messages filtered by `conversationId`), all at once.
 *
 * A mailbox whose grant is gone, or whose provider refuses the request for good, cannot hold the
 * draft either: it is left out (and named if no mailbox holds the thread). A passing failure
 * (throttling, 5xx, network) is thrown as is, so the job retries: deciding without that mailbox
 * could pick one when two hold the thread.
 *
 * @throws DraftMailboxUnresolvedError when the user has no (matching) connected mailbox, when no mailbox
 *   holds the thread, or when more than one does (the job must then name `accountId` and
 *   `emailProvider`); each message says which and what to do.
 */
export async function findThreadMailbox(input: FindThreadMailboxInput): Promise<ThreadMailbox> {
  const { userId, threadId, only, signal } = input;
  const listed = await input.directory.listMailboxes(userId, signal);
  const candidates = listed.filter((m) => (only?.accountId === undefined || m.accountId === only.accountId) && (only?.provider === undefined || m.provider === only.provider));
  if (candidates.length === 0) {
    const narrowed = only?.accountId !== undefined || only?.provider !== undefined;
    throw new DraftMailboxUnresolvedError(
    userId,
    threadId,
      listed.length === 0
        ? `User ${userId} has no connected mailbox (the app lists none), so there is no mailbox to draft the reply to thread ${threadId} in: connect one, or pass accountId and emailProvider`
        : `None of user ${userId}'s connected mailboxes (${listed.map(mailboxKey).join(', ')}) matches${narrowed ? ` ${[only?.provider, only?.accountId].filter(Boolean).join(' account ')}` : ''}: pass the accountId and emailProvider of a connected mailbox`,
    );
  }

  const probes = await Promise.all(
    candidates.map(async (mailbox): Promise<Probe> => {
      try {
        return { mailbox, kind: 'holds', thread: await input.providers[mailbox.provider].readThread(mailbox, threadId, signal) };
      } catch (err) {
        if (err instanceof ProviderNotFoundError) return { mailbox, kind: 'absent' };
        if (err instanceof MailboxNotConnectedError || err instanceof ProviderRejectedError) return { mailbox, kind: 'unreadable', why: err.message };
        throw err;
      }
    }),
  );
  const holding = probes.filter((p): p is Extract<Probe, { kind: 'holds' }> => p.kind === 'holds');
  if (holding.length > 1) {
    throw new DraftMailboxUnresolvedError(
    userId,
    threadId,
      `Thread ${threadId} is in more than one of user ${userId}'s mailboxes (${names(holding)}): pass accountId and emailProvider to say which one to draft in`,
    );
  }
  const [found] = holding;
  if (found) return { mailbox: found.mailbox, thread: found.thread };
  const unreadable = probes.filter((p): p is Extract<Probe, { kind: 'unreadable' }> => p.kind === 'unreadable');
  throw new DraftMailboxUnresolvedError(
    userId,
    threadId,
    `Thread ${threadId} is in none of user ${userId}'s connected mailboxes (${names(probes)})` +
      (unreadable.length > 0 ? `; could not be read: ${unreadable.map((p) => `${mailboxKey(p.mailbox)} (${p.why})`).join('; ')}` : ''),
  );
}
