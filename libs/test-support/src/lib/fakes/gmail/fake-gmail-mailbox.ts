import { HistoryLog, type GmailHistoryType, type HistoryPage, type HistoryRecord } from './fake-gmail-history-log';
import type { GmailIdSource } from './fake-gmail-ids';
import { snapshotMessage, type FakeGmailMessage, type StoredGmailMessage } from './fake-gmail-message';
import { MessageIndex, type IndexKey, type IndexPage } from './fake-gmail-message-index';
import { ThreadIndex } from './fake-gmail-thread-index';
import { readThreadingHeaders, type ThreadingHeaders } from './fake-gmail-threading-headers';

/** Options of {@link FakeGmailMailbox.addMessage}. */
export interface AddFakeGmailMessageOptions {
  /** Labels of the new message; default `['INBOX', 'UNREAD']`. `DRAFT` is refused: use `addDraft`. */
  readonly labelIds?: readonly string[];
  /** Ms since the epoch; default the `Date` header, else now. */
  readonly internalDate?: number;
}

/** Control handle of one mailbox of the fake Gmail server (test code, not HTTP). */
export interface FakeGmailMailbox {
  /** The address, lower-cased. */
  readonly email: string;
  /** The latest history id; every change raises it by one. */
  readonly historyId: number;
  /**
   * Adds a received message and records `messagesAdded`. It joins the thread of a stored message
   * whose Message-ID its In-Reply-To or References names, else starts a thread (threadId = its id).
   * A string is taken as UTF-8; a Buffer is kept by reference (do not change it afterwards).
   */
  addMessage(raw: Buffer | string, options?: AddFakeGmailMessageOptions): { id: string; threadId: string };
  /**
   * Adds a draft as `POST drafts` does (label `DRAFT`, internalDate now); it joins `threadId` only
   * when Gmail's rules hold (see the server's drafts endpoint), else it starts a thread.
   */
  addDraft(raw: Buffer | string, options?: { threadId?: string }): { id: string; message: { id: string; threadId: string } };
  /** Deletes a message (or a draft's message, and so the draft) for good and records `messagesDeleted`. @throws Error for an unknown id. */
  deleteMessage(id: string): void;
  /** Adds then removes labels, recording `labelsAdded` / `labelsRemoved` for real changes only. @throws Error for an unknown id or `DRAFT`. */
  modifyLabels(id: string, add: readonly string[], remove: readonly string[]): void;
  /** Messages (not drafts), newest first, with raw. O(n): for assertions, not hot loops. */
  listMessages(): ReadonlyArray<FakeGmailMessage>;
  /** Drafts, newest first. */
  listDrafts(): ReadonlyArray<{ id: string; message: FakeGmailMessage }>;
}

/** What to list: one page of messages or drafts, newest first. */
export interface MessagePageRequest {
  /** List drafts instead of messages (Gmail's `labelIds=DRAFT`). */
  readonly drafts: boolean;
  /** Every one of these labels must be present. */
  readonly labelIds: readonly string[];
  /** Include messages labelled SPAM or TRASH. */
  readonly includeSpamTrash: boolean;
  readonly minInternalDate?: number;
  readonly maxInternalDate?: number;
  readonly olderThan?: IndexKey;
  readonly limit: number;
}

/** A history page filter: kinds (all when absent) and a label the message had. */
export interface HistoryFilter {
  readonly types?: ReadonlySet<GmailHistoryType>;
  readonly labelId?: string;
}

const toBuffer = (raw: Buffer | string): Buffer => (typeof raw === 'string' ? Buffer.from(raw, 'utf8') : raw);

/**
 * The state of one mailbox: messages, drafts, threads and history, with the queries the HTTP
 * routes need. Listing and history pages cost O(log n + page), whatever the mailbox size.
 */
export class GmailMailboxState implements FakeGmailMailbox {
  readonly #ids: GmailIdSource;
  readonly #messages = new Map<string, StoredGmailMessage>();
  readonly #listed = new MessageIndex<StoredGmailMessage>();
  readonly #draftIndex = new MessageIndex<StoredGmailMessage>();
  readonly #drafts = new Map<string, StoredGmailMessage>();
  readonly #threads = new ThreadIndex();
  readonly #history: HistoryLog;
  #seq = 0;

  /** A mailbox for `email` whose history starts at `historyId`. */
  constructor(
    readonly email: string,
    ids: GmailIdSource,
    historyId: number,
  ) {
    this.#ids = ids;
    this.#history = new HistoryLog(historyId);
  }

  get historyId(): number {
    return this.#history.currentId;
  }

  addMessage(raw: Buffer | string, options: AddFakeGmailMessageOptions = {}): { id: string; threadId: string } {
    const bytes = toBuffer(raw);
    const labelIds = options.labelIds ?? ['INBOX', 'UNREAD'];
    if (labelIds.includes('DRAFT')) throw new Error('addMessage cannot add a DRAFT; use addDraft');
    const threading = readThreadingHeaders(bytes);
    const message = this.#store(bytes, threading, {
      labelIds,
      internalDate: options.internalDate ?? threading.dateMs ?? Date.now(),
      threadId: this.#threads.threadReferencedBy(threading),
      draftId: undefined,
    });
    return { id: message.id, threadId: message.threadId };
  }

  addDraft(raw: Buffer | string, options: { threadId?: string } = {}): { id: string; message: { id: string; threadId: string } } {
    const message = this.createDraft(toBuffer(raw), options.threadId);
    return { id: message.draftId ?? '', message: { id: message.id, threadId: message.threadId } };
  }

  deleteMessage(id: string): void {
    this.#unstore(this.#require(id));
  }

  modifyLabels(id: string, add: readonly string[], remove: readonly string[]): void {
    const message = this.#require(id);
    if (add.includes('DRAFT') || remove.includes('DRAFT')) throw new Error('The DRAFT label cannot be added or removed');
    const removing = new Set(remove);
    const added = [...new Set(add)].filter((label) => !message.labelIds.includes(label) && !removing.has(label));
    const removed = message.labelIds.filter((label) => removing.has(label));
    if (added.length > 0) {
      message.labelIds = [...message.labelIds, ...added];
      message.historyId = this.#record('labelAdded', message, added);
    }
    if (removed.length > 0) {
      message.labelIds = message.labelIds.filter((label) => !removing.has(label));
      message.historyId = this.#record('labelRemoved', message, removed);
    }
  }

  listMessages(): ReadonlyArray<FakeGmailMessage> {
    return this.#listed.newestFirst().map(snapshotMessage);
  }

  listDrafts(): ReadonlyArray<{ id: string; message: FakeGmailMessage }> {
    return this.#draftIndex.newestFirst().map((m) => ({ id: m.draftId ?? '', message: snapshotMessage(m) }));
  }

  /** The message (or draft's message) with `id`. */
  findMessage(id: string): StoredGmailMessage | undefined {
    return this.#messages.get(id);
  }

  /** The current message of draft `draftId`. */
  findDraft(draftId: string): StoredGmailMessage | undefined {
    return this.#drafts.get(draftId);
  }

  /** A thread's messages, oldest first, drafts included; `undefined` for an unknown thread. */
  threadMessages(threadId: string): StoredGmailMessage[] | undefined {
    return this.#threads.messages(threadId);
  }

  /** Counts for `GET profile`: messages and threads exclude drafts. */
  profile(): { messagesTotal: number; threadsTotal: number; historyId: number } {
    return { messagesTotal: this.#listed.size, threadsTotal: this.#threads.threadsTotal, historyId: this.historyId };
  }

  /** One page of messages or drafts, newest first. */
  pageMessages(request: MessagePageRequest): IndexPage<StoredGmailMessage> {
    const required = request.labelIds;
    const hidden = request.includeSpamTrash ? [] : ['SPAM', 'TRASH'].filter((label) => !required.includes(label));
    return (request.drafts ? this.#draftIndex : this.#listed).page({
      ...request,
      accept: (m) => required.every((label) => m.labelIds.includes(label)) && !hidden.some((label) => m.labelIds.includes(label)),
    });
  }

  /** History after `startId`, or `undefined` when it is older than the retained history (Gmail: 404). */
  pageHistory(startId: number, resumeAt: number | undefined, limit: number, filter: HistoryFilter): HistoryPage | undefined {
    if (!this.#history.covers(startId)) return undefined;
    const { types, labelId } = filter;
    return this.#history.page(startId, resumeAt, limit, (record: HistoryRecord) => {
      if (types && !types.has(record.type)) return false;
      return labelId === undefined || record.message.labelIds.includes(labelId) || (record.labelIds?.includes(labelId) ?? false);
    });
  }

  /** Forgets all history so far: start ids older than the current one then get 404. */
  expireHistory(): void {
    this.#history.expire();
  }

  /**
   * Stores a new draft (label `DRAFT`, internalDate now) under a new id. It joins
   * `requestedThreadId` only when {@link ThreadIndex.draftMayJoin} allows, else starts a thread,
   * as Gmail silently does.
   */
  createDraft(raw: Buffer, requestedThreadId: string | undefined): StoredGmailMessage {
    return this.#storeDraft(this.#ids.draftId(), raw, requestedThreadId);
  }

  /** Replaces a draft's message with a new one (new message id, as Gmail does); `undefined` for an unknown draft. */
  updateDraft(draftId: string, raw: Buffer, requestedThreadId: string | undefined): StoredGmailMessage | undefined {
    const old = this.#drafts.get(draftId);
    if (!old) return undefined;
    this.#unstore(old);
    return this.#storeDraft(draftId, raw, requestedThreadId);
  }

  /** Deletes a draft and its message; false for an unknown draft. */
  deleteDraft(draftId: string): boolean {
    const message = this.#drafts.get(draftId);
    if (message) this.#unstore(message);
    return message !== undefined;
  }

  #storeDraft(draftId: string, raw: Buffer, requestedThreadId: string | undefined): StoredGmailMessage {
    const threading = readThreadingHeaders(raw);
    const joins = requestedThreadId !== undefined && this.#threads.draftMayJoin(requestedThreadId, threading);
    const message = this.#store(raw, threading, {
      labelIds: ['DRAFT'],
      internalDate: Date.now(),
      threadId: joins ? requestedThreadId : undefined,
      draftId,
    });
    this.#drafts.set(draftId, message);
    return message;
  }

  #store(
    raw: Buffer,
    threading: ThreadingHeaders,
    fields: { labelIds: readonly string[]; internalDate: number; threadId: string | undefined; draftId: string | undefined },
  ): StoredGmailMessage {
    const id = this.#ids.messageId();
    const message: StoredGmailMessage = {
      id,
      threadId: fields.threadId ?? id,
      labelIds: [...new Set(fields.labelIds)],
      internalDate: fields.internalDate,
      historyId: 0,
      raw,
      seq: this.#seq++,
      draftId: fields.draftId,
      threading,
    };
    this.#messages.set(id, message);
    (message.draftId === undefined ? this.#listed : this.#draftIndex).add(message);
    this.#threads.add(message);
    message.historyId = this.#record('messageAdded', message);
    return message;
  }

  #unstore(message: StoredGmailMessage): void {
    this.#messages.delete(message.id);
    (message.draftId === undefined ? this.#listed : this.#draftIndex).remove(message);
    this.#threads.remove(message);
    if (message.draftId !== undefined) this.#drafts.delete(message.draftId);
    message.historyId = this.#record('messageDeleted', message);
  }

  #record(type: GmailHistoryType, message: StoredGmailMessage, labelIds?: readonly string[]): number {
    const ref = { id: message.id, threadId: message.threadId, labelIds: message.labelIds };
    return this.#history.append(labelIds ? { type, message: ref, labelIds } : { type, message: ref });
  }

  #require(id: string): StoredGmailMessage {
    const message = this.#messages.get(id);
    if (!message) throw new Error(`No message ${id} in mailbox ${this.email}`);
    return message;
  }
}
