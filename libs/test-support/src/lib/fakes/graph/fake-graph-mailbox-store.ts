import { randomUUID } from 'node:crypto';
import { buildDraftMime } from './fake-graph-draft-mime';
import { FakeGraphFolder } from './fake-graph-folder';
import {
  graphDateTime,
  newGraphChangeKey,
  newGraphConversationId,
  newGraphMessageId,
  newInternetMessageId,
} from './fake-graph-ids';
import type { FakeGraphAddMessageOptions, FakeGraphMailbox } from './fake-graph-mailbox';
import type { FakeGraphItemBody, FakeGraphMessage, FakeGraphRecipient } from './fake-graph-message';
import { readEnvelope } from './fake-graph-mime-envelope';

const WELL_KNOWN_FOLDERS: ReadonlyArray<readonly [string, string]> = [
  ['inbox', 'Inbox'],
  ['sentitems', 'Sent Items'],
  ['drafts', 'Drafts'],
  ['deleteditems', 'Deleted Items'],
];

/** A property change a PATCH asks for, already validated by the route. */
export interface FakeGraphMessagePatch {
  readonly subject?: string;
  readonly body?: FakeGraphItemBody;
  readonly isRead?: boolean;
  readonly toRecipients?: readonly FakeGraphRecipient[];
  readonly ccRecipients?: readonly FakeGraphRecipient[];
}

/**
 * The state of one mailbox: folders with change logs, messages, conversations. Implements the
 * test-facing {@link FakeGraphMailbox} and the operations the HTTP routes need.
 */
export class FakeGraphMailboxStore implements FakeGraphMailbox {
  /** Bumped by `expireDeltaTokens`: tokens carry the generation they were issued in. */
  deltaGeneration = 0;
  /** The owner's Graph user id (a GUID), as `GET /me` returns it. */
  readonly userId = randomUUID();
  private readonly folders = new Map<string, FakeGraphFolder>();
  private readonly messages = new Map<string, FakeGraphMessage>();
  private readonly conversationByMessageId = new Map<string, string>();
  private readonly conversationMembers = new Map<string, Set<string>>();

  constructor(readonly upn: string) {
    for (const [name, displayName] of WELL_KNOWN_FOLDERS) {
      const folder = new FakeGraphFolder(name, displayName);
      this.folders.set(folder.id, folder);
    }
  }

  addMessage(raw: Buffer | string, options: FakeGraphAddMessageOptions = {}): { id: string; conversationId: string } {
    const bytes = typeof raw === 'string' ? Buffer.from(raw, 'utf8') : raw;
    const folder = this.requireFolder(options.folder ?? 'inbox');
    const envelope = readEnvelope(bytes);
    const received = options.receivedDateTime === undefined ? new Date() : new Date(options.receivedDateTime);
    if (Number.isNaN(received.getTime())) throw new Error(`receivedDateTime is not a date: ${options.receivedDateTime}`);
    const receivedDateTime = graphDateTime(received);
    const internetMessageId = envelope.messageId ?? newInternetMessageId();
    const message: FakeGraphMessage = {
      id: newGraphMessageId(),
      changeKey: newGraphChangeKey(),
      conversationId: this.conversationFor(internetMessageId, envelope.inReplyTo, envelope.references, options.conversationId),
      parentFolderId: folder.id,
      receivedDateTime,
      sentDateTime: envelope.date ? graphDateTime(envelope.date) : receivedDateTime,
      createdDateTime: receivedDateTime,
      lastModifiedDateTime: receivedDateTime,
      isDraft: folder.wellKnownName === 'drafts',
      isRead: false,
      subject: envelope.subject,
      from: envelope.from,
      toRecipients: envelope.toRecipients,
      ccRecipients: envelope.ccRecipients,
      bccRecipients: envelope.bccRecipients,
      replyTo: envelope.replyTo,
      internetMessageId,
      inReplyTo: envelope.inReplyTo,
      references: envelope.references,
      body: undefined,
      raw: bytes,
    };
    this.insert(message, folder);
    return { id: message.id, conversationId: message.conversationId };
  }

  deleteMessage(id: string): void {
    const message = this.requireMessage(id);
    this.messages.delete(id);
    this.conversationMembers.get(message.conversationId)?.delete(id);
    this.requireFolder(message.parentFolderId).recordRemoval(id);
  }

  moveMessage(id: string, folder: string): void {
    const message = this.requireMessage(id);
    const from = this.requireFolder(message.parentFolderId);
    const to = this.requireFolder(folder);
    if (from === to) return;
    from.recordRemoval(id);
    this.replace({ ...message, parentFolderId: to.id });
  }

  markRead(id: string, isRead: boolean): void {
    this.replace({ ...this.requireMessage(id), isRead });
  }

  listMessages(folder = 'inbox'): ReadonlyArray<FakeGraphMessage> {
    return [...this.requireFolder(folder).members].map((id) => this.messages.get(id) as FakeGraphMessage);
  }

  listDrafts(): ReadonlyArray<FakeGraphMessage> {
    return this.listMessages('drafts');
  }

  getMessage(id: string): FakeGraphMessage | undefined {
    return this.messages.get(id);
  }

  folderId(wellKnownName: string): string {
    return this.requireFolder(wellKnownName).id;
  }

  /** A folder by opaque id or well-known name (case-insensitive), `undefined` when unknown. */
  folder(idOrName: string): FakeGraphFolder | undefined {
    const byId = this.folders.get(idOrName);
    if (byId) return byId;
    const name = idOrName.toLowerCase();
    return [...this.folders.values()].find((f) => f.wellKnownName === name);
  }

  /** Messages of a conversation, in any folder. */
  conversation(conversationId: string): FakeGraphMessage[] {
    return [...(this.conversationMembers.get(conversationId) ?? [])].map((id) => this.messages.get(id) as FakeGraphMessage);
  }

  /**
   * Creates a reply draft in Drafts, as Graph's createReply does: subject `RE: <subject>`, To the
   * original's From (Graph's docs leave honouring Reply-To to the caller), same conversation,
   * MIME with In-Reply-To/References. `body` replaces the generated one (Graph's
   * `message.body`).
   */
  createReplyDraft(originalId: string, content: { comment?: string; body?: FakeGraphItemBody; quotedText?: string }): FakeGraphMessage {
    const original = this.requireMessage(originalId);
    const drafts = this.requireFolder('drafts');
    const now = new Date();
    const internetMessageId = newInternetMessageId();
    const draft: Omit<FakeGraphMessage, 'raw'> = {
      id: newGraphMessageId(),
      changeKey: newGraphChangeKey(),
      conversationId: original.conversationId,
      parentFolderId: drafts.id,
      receivedDateTime: graphDateTime(now),
      sentDateTime: graphDateTime(now),
      createdDateTime: graphDateTime(now),
      lastModifiedDateTime: graphDateTime(now),
      isDraft: true,
      isRead: true,
      subject: `RE: ${original.subject}`,
      from: this.owner(),
      toRecipients: original.from ? [original.from] : [],
      ccRecipients: [],
      bccRecipients: [],
      replyTo: [],
      internetMessageId,
      inReplyTo: [original.internetMessageId],
      references: [...original.references, original.internetMessageId],
      body: content.body ?? replyBody(original, content.comment ?? '', content.quotedText ?? ''),
    };
    const message = { ...draft, raw: draftMime(draft) };
    this.insert(message, drafts);
    return message;
  }

  /** Applies a validated PATCH; drafts get their MIME rewritten. */
  updateMessage(id: string, patch: FakeGraphMessagePatch): FakeGraphMessage {
    const current = this.requireMessage(id);
    const next = { ...current, ...patch, lastModifiedDateTime: graphDateTime() };
    return this.replace(next.isDraft ? { ...next, raw: draftMime(next) } : next);
  }

  private owner(): FakeGraphRecipient {
    return { emailAddress: { name: this.upn, address: this.upn } };
  }

  private insert(message: FakeGraphMessage, folder: FakeGraphFolder): void {
    this.messages.set(message.id, message);
    let members = this.conversationMembers.get(message.conversationId);
    if (!members) this.conversationMembers.set(message.conversationId, (members = new Set()));
    members.add(message.id);
    if (!this.conversationByMessageId.has(message.internetMessageId)) {
      this.conversationByMessageId.set(message.internetMessageId, message.conversationId);
    }
    folder.recordUpsert(message.id);
  }

  /** Stores a changed message under a new changeKey and logs the change in its folder. */
  private replace(message: FakeGraphMessage): FakeGraphMessage {
    const changed = { ...message, changeKey: newGraphChangeKey() };
    this.messages.set(changed.id, changed);
    this.requireFolder(changed.parentFolderId).recordUpsert(changed.id);
    return changed;
  }

  private conversationFor(messageId: string, inReplyTo: readonly string[], references: readonly string[], started?: string): string {
    for (const parent of [...inReplyTo, ...[...references].reverse()]) {
      const conversationId = this.conversationByMessageId.get(parent);
      if (conversationId) return conversationId;
    }
    return started ?? newGraphConversationId();
  }

  private requireMessage(id: string): FakeGraphMessage {
    const message = this.messages.get(id);
    if (!message) throw new Error(`No message ${id} in mailbox ${this.upn}`);
    return message;
  }

  private requireFolder(idOrName: string): FakeGraphFolder {
    const folder = this.folder(idOrName);
    if (!folder) throw new Error(`No folder ${idOrName} in mailbox ${this.upn}`);
    return folder;
  }
}

function draftMime(message: Omit<FakeGraphMessage, 'raw'>): Buffer {
  return buildDraftMime({
    from: message.from as FakeGraphRecipient,
    toRecipients: message.toRecipients,
    ccRecipients: message.ccRecipients,
    subject: message.subject,
    messageId: message.internetMessageId,
    inReplyTo: message.inReplyTo,
    references: message.references,
    date: new Date(message.createdDateTime),
    body: message.body ?? { contentType: 'text', content: '' },
  });
}

/** Outlook's reply layout: the comment, a rule, the original's header block, its text. */
function replyBody(original: FakeGraphMessage, comment: string, quotedText: string): FakeGraphItemBody {
  const who = (r: FakeGraphRecipient): string => escapeHtml(`${r.emailAddress.name} <${r.emailAddress.address}>`);
  const content = [
    '<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"></head><body>',
    `<div>${escapeHtml(comment).replace(/\n/g, '<br>')}</div>`,
    '<hr style="display:inline-block;width:98%" tabindex="-1">',
    '<div id="divRplyFwdMsg" dir="ltr"><font face="Calibri, sans-serif" style="font-size:11pt" color="#000000">',
    `<b>From:</b> ${original.from ? who(original.from) : ''}<br>`,
    `<b>Sent:</b> ${escapeHtml(new Date(original.sentDateTime).toUTCString())}<br>`,
    `<b>To:</b> ${original.toRecipients.map(who).join('; ')}<br>`,
    `<b>Subject:</b> ${escapeHtml(original.subject)}</font><div>&nbsp;</div></div>`,
    `<div>${escapeHtml(quotedText).replace(/\n/g, '<br>')}</div>`,
    '</body></html>',
  ].join('\r\n');
  return { contentType: 'html', content };
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] as string);
}
