import type { StoredGmailMessage } from './fake-gmail-message';
import type { ThreadingHeaders } from './fake-gmail-threading-headers';

interface StoredThread {
  readonly id: string;
  /** Subject key of the message that started the thread. */
  readonly subjectKey: string;
  readonly messages: Set<StoredGmailMessage>;
  /** Messages that are not drafts: a thread of drafts only is not counted in threadsTotal. */
  nonDrafts: number;
}

/**
 * Threads of one mailbox, and which stored messages carry each Message-ID, so a reply finds its
 * thread in O(1) whatever the mailbox size.
 */
export class ThreadIndex {
  readonly #threads = new Map<string, StoredThread>();
  readonly #byMessageId = new Map<string, Set<StoredGmailMessage>>();
  #counted = 0;

  /** Threads holding at least one message that is not a draft (`threadsTotal`). */
  get threadsTotal(): number {
    return this.#counted;
  }

  /** The thread of a stored message whose Message-ID the headers reference, In-Reply-To first. */
  threadReferencedBy(threading: ThreadingHeaders): string | undefined {
    for (const ref of threading.referencedIds) {
      for (const message of this.#byMessageId.get(ref) ?? []) return message.threadId;
    }
    return undefined;
  }

  /**
   * Whether a draft may join `threadId`, by the rules of Gmail's drafts guide: the thread exists,
   * In-Reply-To/References name a message of that thread, and the subjects match (ignoring `Re:`).
   */
  draftMayJoin(threadId: string, threading: ThreadingHeaders): boolean {
    const thread = this.#threads.get(threadId);
    if (!thread || thread.subjectKey !== threading.subjectKey) return false;
    return threading.referencedIds.some((ref) => {
      for (const message of this.#byMessageId.get(ref) ?? []) if (message.threadId === threadId) return true;
      return false;
    });
  }

  /** Whether `threadId` names a thread with messages. */
  has(threadId: string): boolean {
    return this.#threads.has(threadId);
  }

  /** Files `message` under its `threadId`, starting the thread when it is new. */
  add(message: StoredGmailMessage): void {
    let thread = this.#threads.get(message.threadId);
    if (!thread) {
      thread = { id: message.threadId, subjectKey: message.threading.subjectKey, messages: new Set(), nonDrafts: 0 };
      this.#threads.set(thread.id, thread);
    }
    thread.messages.add(message);
    if (message.draftId === undefined && ++thread.nonDrafts === 1) this.#counted++;
    const messageId = message.threading.messageId;
    if (messageId !== undefined) {
      const carriers = this.#byMessageId.get(messageId) ?? new Set();
      carriers.add(message);
      this.#byMessageId.set(messageId, carriers);
    }
  }

  /** Unfiles `message`; a thread left empty is gone. */
  remove(message: StoredGmailMessage): void {
    const thread = this.#threads.get(message.threadId);
    if (thread?.messages.delete(message)) {
      if (message.draftId === undefined && --thread.nonDrafts === 0) this.#counted--;
      if (thread.messages.size === 0) this.#threads.delete(thread.id);
    }
    const messageId = message.threading.messageId;
    const carriers = messageId === undefined ? undefined : this.#byMessageId.get(messageId);
    if (carriers?.delete(message) && carriers.size === 0 && messageId !== undefined) this.#byMessageId.delete(messageId);
  }

  /** The thread's messages, oldest first by internalDate, or `undefined` for an unknown thread. */
  messages(threadId: string): StoredGmailMessage[] | undefined {
    const thread = this.#threads.get(threadId);
    if (!thread) return undefined;
    return [...thread.messages].sort((a, b) => a.internalDate - b.internalDate || a.seq - b.seq);
  }
}
