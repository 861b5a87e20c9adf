import type { ThreadingHeaders } from './fake-gmail-threading-headers';

/** A message as the fake Gmail server holds it (a snapshot; later changes do not show in it). */
export interface FakeGmailMessage {
  /** 16 lower-case hex digits, like Gmail's ids. */
  readonly id: string;
  /** The id of the thread's first message. */
  readonly threadId: string;
  /** System labels such as `INBOX`, `UNREAD`, `DRAFT`, or any custom label id. */
  readonly labelIds: readonly string[];
  /** Ms since the epoch; orders listings (newest first). */
  readonly internalDate: number;
  /** The mailbox history id of the message's last change. */
  readonly historyId: number;
  /** The RFC 5322 bytes, as given (kept by reference, never copied). */
  readonly raw: Buffer;
}

/** The server's own record of a message; mutable where Gmail lets a message change. */
export interface StoredGmailMessage {
  readonly id: string;
  threadId: string;
  /** Replaced, never mutated, so history records may keep the array they saw. */
  labelIds: readonly string[];
  readonly internalDate: number;
  historyId: number;
  readonly raw: Buffer;
  /** Insertion number: breaks ties between equal internalDates, so the listing order is total. */
  readonly seq: number;
  /** Set when the message is a draft's message. */
  readonly draftId: string | undefined;
  readonly threading: ThreadingHeaders;
}

/** A public snapshot of `message`. */
export function snapshotMessage(message: StoredGmailMessage): FakeGmailMessage {
  const { id, threadId, labelIds, internalDate, historyId, raw } = message;
  return { id, threadId, labelIds, internalDate, historyId, raw };
}
