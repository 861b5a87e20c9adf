import type { MailboxRef } from '../mailbox-ref';

/** A message as downloaded: the provider's ids and change marker, and its MIME bytes. */
export interface RawMailMessage {
  readonly id: string;
  readonly threadId: string;
  /** Provider change marker: Gmail `historyId`, Graph `changeKey`. */
  readonly version: string;
  /** Gmail label ids, or the Outlook folder's well-known name. */
  readonly labels: readonly string[];
  readonly receivedAt: Date;
  /** RFC 5322 bytes (Gmail `format=raw`, Graph `$value`). */
  readonly raw: Buffer;
}

/** One change read from the provider. */
export type MailChange =
  | { readonly kind: 'upsert'; readonly change: 'new' | 'changed'; readonly message: RawMailMessage }
  | {
      readonly kind: 'deleted';
      readonly messageId: string;
      /** What makes this deletion distinct from an earlier one of the same id (Gmail history record id; Graph delta round). */
      readonly version: string;
    };

/** Where a sync starts. */
export type SyncStart =
  | {
      readonly kind: 'full';
      readonly since: Date;
      /** Set when this listing replaces a cursor the provider no longer knows. */
      readonly expiredCursor?: string;
    }
  | { readonly kind: 'incremental'; readonly cursor: string }
  | { readonly kind: 'resume'; readonly checkpoint: string };

/** Hooks of one sync run. */
export interface SyncOptions {
  /**
   * Which message versions were handed over already, so a provider that knows a message's
   * version before downloading it (Graph's `changeKey`) can skip the download.
   */
  readonly alreadyHandedOver?: (messages: readonly { id: string; version: string }[]) => Promise<boolean[]>;
}

/**
 * A batch of changes to hand over. A provider page is yielded as several batches of at most
 * `fetchConcurrency` downloaded messages, so memory holds one batch, not one page; only a
 * page's last batch carries the resume point.
 */
export interface SyncPage {
  readonly changes: readonly MailChange[];
  /** Messages downloaded for this batch. */
  readonly fetched: number;
  /** Messages not downloaded because that version was handed over before. */
  readonly skippedKnown: number;
  /**
   * Opaque: pass as `{ kind: 'resume' }` to continue after this batch; null when this batch is
   * not the last of its provider page (a resume then re-reads the page).
   */
  readonly checkpoint: string | null;
  /** On the sync's last batch only: the cursor for the next incremental sync. */
  readonly cursor: string | null;
  /** True when this page was listed from a date rather than from a cursor. */
  readonly fullSync: boolean;
}

/** The reply to save as a draft. */
export interface ReplyDraft {
  /** The thread's message being answered (its newest message that is not a draft). */
  readonly replyTo: ThreadMessage;
  /** The whole thread as read (drafts included), oldest first. */
  readonly thread: readonly ThreadMessage[];
  /**
   * A Message-ID derived from the job, so that a draft created by an attempt whose answer was
   * lost can be found in the thread by the next attempt (where the provider lets us set it).
   */
  readonly draftMessageId: string;
  /** The mailbox owner's address. */
  readonly from: string;
  /** Recipients: the answered message's Reply-To, else its From. */
  readonly to: readonly { readonly name: string; readonly address: string }[];
  readonly subject: string;
  /** Plain-text body. */
  readonly body: string;
  /** Message-ID of `replyTo` (RFC 5322 §3.6.4 In-Reply-To). */
  readonly inReplyTo: string | null;
  /** `replyTo`'s References followed by its Message-ID. */
  readonly references: readonly string[];
}

/** A message of a thread, read for writing a reply. */
export interface ThreadMessage extends RawMailMessage {
  readonly isDraft: boolean;
}

/**
 * A mailbox provider (Gmail, Microsoft Graph) as the email worker needs it. Implementations
 * use the provider's official client, resolve access tokens per request, and map provider
 * answers to ProviderThrottledError, ProviderAuthError (after one token refresh: a
 * MailboxNotConnectedError), CursorExpiredError and ProviderNotFoundError.
 */
export interface MailProvider {
  /**
   * Reads the mailbox's changes page by page (at most `pageSize` messages in memory per page).
   * @throws CursorExpiredError when `start` is a cursor or checkpoint the provider no longer knows.
   */
  sync(mailbox: MailboxRef, start: SyncStart, signal: AbortSignal, options?: SyncOptions): AsyncIterable<SyncPage>;
  /** The mailbox owner's address (Gmail profile, Graph `/me`). */
  mailboxAddress(mailbox: MailboxRef, signal: AbortSignal): Promise<string>;
  /**
   * The thread's messages, oldest first, drafts included (flagged).
   * @throws ProviderNotFoundError when the thread does not exist.
   */
  readThread(mailbox: MailboxRef, threadId: string, signal: AbortSignal): Promise<ThreadMessage[]>;
  /**
   * Saves `draft` as a reply draft in the thread of `draft.replyTo` — never sends it. With
   * `existingDraftId` updates that draft instead (a retried job); otherwise creates one and calls
   * `onCreated` with its id before doing anything else, so the caller can record it.
   * @returns the draft's id and the thread it is in.
   */
  saveReplyDraft(
    mailbox: MailboxRef,
    draft: ReplyDraft,
    options: { existingDraftId: string | null; onCreated: (draftId: string) => Promise<void>; signal: AbortSignal },
  ): Promise<{ draftId: string; threadId: string }>;
}
