import type { EmailProvider } from '@jobs/queue-contracts';
import type { EmailFakes } from './email-harness';

/** One fake mailbox, whichever provider serves it, with the faults tests inject. */
export interface FakeMailboxHandle {
  readonly provider: EmailProvider;
  readonly accountId: string;
  readonly address: string;
  /**
   * Adds a message (as received mail); returns its provider id. `conversationId` (Outlook only)
   * starts its conversation under that id, as Exchange shows one conversation to two mailboxes.
   */
  add(raw: Buffer, options?: { conversationId?: string }): string;
  remove(id: string): void;
  /** A change that is not new mail: Gmail label added, Outlook read flag set. */
  change(id: string): void;
  /** The provider forgets every cursor issued so far (Gmail history 404, Graph delta 410). */
  expireCursor(): void;
  throttle(count: number, retryAfterSeconds: number): void;
  failNext(count: number, status: number, pathPattern?: RegExp): void;
  /** Revokes the current token; the token service hands out `next` on a refresh. */
  rotateToken(next: string | null): void;
  /** Requests this mailbox received. */
  requestCount(): number;
  /** The thread (Gmail) or conversation (Graph) id of a message. */
  threadOf(id: string): string;
  /** Messages in the sent folder (Gmail label SENT; Outlook sentitems): a draft must never get there. */
  sentCount(): number;
  /** Provider ids of the messages in the mailbox (not drafts). */
  messageIds(): string[];
  /** Draft ids and their thread ids. */
  drafts(): { id: string; threadId: string; raw: Buffer }[];
  /** Addresses a draft is to (Gmail: its To header; Graph: its toRecipients). */
  draftRecipients(draftId: string): string[];
}

/** The Date header of a raw message as ISO-8601 when it is readable, else undefined (now). */
function receivedFromDateHeader(raw: Buffer): string | undefined {
  const head = raw.subarray(0, raw.indexOf('\r\n\r\n') > 0 ? raw.indexOf('\r\n\r\n') : 4096).toString('latin1');
  const match = /^date:[ \t]*(.+(?:\r?\n[ \t].+)*)/im.exec(head);
  const date = match ? new Date(match[1].replace(/\s+/g, ' ').trim()) : undefined;
  return date && !Number.isNaN(date.getTime()) && date.getFullYear() < 2100 ? date.toISOString() : undefined;
}

/** Creates a mailbox on the provider's fake and registers its token with the token service. */
export function addFakeMailbox(fakes: EmailFakes, provider: EmailProvider, accountId: string): FakeMailboxHandle {
  const address = `${accountId}@example.com`;
  let token = `token-${accountId}-1`;
  fakes.tokens.setTokens(accountId, [token]);
  const rotate = (next: string | null, issue: (t: string) => void, revoke: (t: string) => void) => {
    revoke(token);
    if (next === null) {
      fakes.tokens.setTokens(accountId, [token]);
      return;
    }
    issue(next);
    fakes.tokens.setTokens(accountId, [token, next]);
    token = next;
  };

  if (provider === 'gmail') {
    const { gmail } = fakes;
    const box = gmail.addMailbox(address, { token });
    return {
      provider,
      accountId,
      address,
      add: (raw) => box.addMessage(raw).id,
      remove: (id) => box.deleteMessage(id),
      change: (id) => box.modifyLabels(id, ['STARRED'], []),
      expireCursor: () => gmail.expireHistory(address),
      throttle: (count, retryAfterSeconds) => gmail.throttle(address, { count, retryAfterSeconds }),
      failNext: (count, status, pathPattern) => gmail.failNext(address, { count, status, pathPattern }),
      rotateToken: (next) => rotate(next, (t) => gmail.issueToken(address, t), (t) => gmail.revokeToken(t)),
      requestCount: () => gmail.requests.filter((r) => r.mailbox === address).length,
      threadOf: (id) => box.listMessages().find((m) => m.id === id)?.threadId ?? '',
      sentCount: () => box.listMessages().filter((m) => m.labelIds.includes('SENT')).length,
      messageIds: () => box.listMessages().map((m) => m.id),
      drafts: () => box.listDrafts().map((d) => ({ id: d.id, threadId: d.message.threadId, raw: d.message.raw })),
      draftRecipients: (draftId) => {
        const raw = box.listDrafts().find((d) => d.id === draftId)?.message.raw.toString('latin1') ?? '';
        const to = /^to:[ \t]*(.+(?:\r?\n[ \t].+)*)/im.exec(raw.slice(0, raw.search(/\r?\n\r?\n/)))?.[1] ?? '';
        return [...to.matchAll(/[^\s<>,"]+@[^\s<>,"]+/g)].map((m) => m[0]);
      },
    };
  }
  const { graph } = fakes;
  const box = graph.addMailbox(address, { token });
  return {
    provider,
    accountId,
    address,
    // Received when its Date header says (as the Gmail fake's internalDate), so order is real.
    add: (raw, options) => box.addMessage(raw, { receivedDateTime: receivedFromDateHeader(raw), conversationId: options?.conversationId }).id,
    remove: (id) => box.deleteMessage(id),
    change: (id) => box.markRead(id, true),
    expireCursor: () => graph.expireDeltaTokens(address),
    throttle: (count, retryAfterSeconds) => graph.throttle(address, { count, retryAfterSeconds }),
    failNext: (count, status, pathPattern) => graph.failNext(address, { count, status, pathPattern }),
    rotateToken: (next) => rotate(next, (t) => graph.issueToken(address, t), (t) => graph.revokeToken(t)),
    requestCount: () => graph.requests.filter((r) => r.mailbox === address).length,
    threadOf: (id) => box.listMessages('inbox').find((m) => m.id === id)?.conversationId ?? '',
    sentCount: () => box.listMessages('sentitems').length,
    messageIds: () => box.listMessages('inbox').map((m) => m.id),
    drafts: () => box.listDrafts().map((d) => ({ id: d.id, threadId: d.conversationId, raw: d.raw })),
    draftRecipients: (draftId) => (box.getMessage(draftId)?.toRecipients ?? []).map((r) => r.emailAddress.address),
  };
}
