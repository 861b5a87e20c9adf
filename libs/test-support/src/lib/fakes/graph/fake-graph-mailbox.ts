import type { FakeGraphMessage } from './fake-graph-message';

/** Where and when an added message lands. */
export interface FakeGraphAddMessageOptions {
  /** Well-known name (`inbox`, `sentitems`, `drafts`, `deleteditems`) or folder id; default `inbox`. */
  readonly folder?: string;
  /** ISO 8601; default now. Stored in Graph's format (UTC, whole seconds). */
  readonly receivedDateTime?: string;
  /**
   * The conversation id of a message that starts a conversation (ignored for a reply, which joins
   * its parent's); default a new one. Exchange derives it from the conversation, so two mailboxes
   * of one tenant on the same thread show the same id; set it to model that.
   */
  readonly conversationId?: string;
}

/**
 * One mailbox of the fake Graph server, driven directly by a test (no HTTP). Every change made
 * here is a change Graph would report: it gets a new changeKey and shows up in the folder's
 * next delta round, exactly as a change made over HTTP does.
 *
 * Methods throw a plain `Error` for an unknown message id or folder.
 */
export interface FakeGraphMailbox {
  /** User principal name (the mailbox's address), as given to `addMailbox`. */
  readonly upn: string;
  /**
   * Delivers `raw` (RFC 822 bytes; a string is taken as UTF-8) to a folder. Envelope properties
   * come from its top-level headers. The message joins the conversation of an existing message
   * whose Message-ID appears in its In-Reply-To or References (In-Reply-To first, then
   * References newest first), else starts a new conversation. The Buffer is kept, not copied,
   * so adding one Buffer many times is cheap.
   */
  addMessage(raw: Buffer | string, options?: FakeGraphAddMessageOptions): { id: string; conversationId: string };
  /** Hard-deletes a message (as Graph's DELETE does: it does not go to Deleted Items). */
  deleteMessage(id: string): void;
  /** Moves a message (folder id or well-known name); the id stays the same. */
  moveMessage(id: string, folder: string): void;
  /** Sets isRead; recorded as a change even when the value does not change. */
  markRead(id: string, isRead: boolean): void;
  /** The messages in a folder (default `inbox`), in the order they arrived there. */
  listMessages(folder?: string): ReadonlyArray<FakeGraphMessage>;
  /** The messages in the Drafts folder, in the order they were created. */
  listDrafts(): ReadonlyArray<FakeGraphMessage>;
  /** A message by id, in any folder; `undefined` when unknown or deleted. */
  getMessage(id: string): FakeGraphMessage | undefined;
  /** The opaque id of a well-known folder (`inbox`, `sentitems`, `drafts`, `deleteditems`). */
  folderId(wellKnownName: string): string;
}
