import type { gmail_v1 } from '@googleapis/gmail';
import type { HistoryRecord } from './fake-gmail-history-log';
import { decodeEncodedWords } from '../shared/mime-decoding';
import type { StoredGmailMessage } from './fake-gmail-message';
import { parseMimeTree, type MimeNode } from './fake-gmail-mime-tree';
import { snippetOf } from './fake-gmail-snippet';

/** Gmail's `format` values for messages (threads take all but `raw`). */
export type GmailMessageFormat = 'minimal' | 'metadata' | 'full' | 'raw';

/** The attachment id the fake hands out for part `partId` (Gmail's ids are opaque too). */
export function attachmentIdOf(partId: string): string {
  return Buffer.from(`part:${partId}`, 'utf8').toString('base64url');
}

/** The part id inside an attachment id from {@link attachmentIdOf}, or `undefined`. */
export function partIdOfAttachment(attachmentId: string): string | undefined {
  const text = Buffer.from(attachmentId, 'base64url').toString('utf8');
  return text.startsWith('part:') ? text.slice(5) : undefined;
}

const headerList = (node: MimeNode, only?: ReadonlySet<string>): gmail_v1.Schema$MessagePartHeader[] =>
  node.headers
    .filter((h) => !only || only.has(h.name.toLowerCase()))
    .map((h) => ({ name: h.name, value: decodeEncodedWords(h.value) }));

// Gmail puts small bodies inline as `data` and gives parts with a file name an attachmentId
// instead (fetched through messages.attachments.get).
const partResource = (node: MimeNode): gmail_v1.Schema$MessagePart => {
  const base = { partId: node.partId, mimeType: node.mimeType, filename: node.filename, headers: headerList(node) };
  if (node.parts.length > 0) return { ...base, body: { size: 0 }, parts: node.parts.map(partResource) };
  if (node.filename) return { ...base, body: { attachmentId: attachmentIdOf(node.partId), size: node.body.length } };
  return { ...base, body: node.body.length > 0 ? { size: node.body.length, data: node.body.toString('base64url') } : { size: 0 } };
};

/**
 * A Message resource in `format`, as Gmail serialises it: ids and history id as strings,
 * `internalDate` as a decimal string of ms, `raw` as unpadded base64url, `labelIds` left out
 * when empty. `metadataHeaders` (any case) limits `payload.headers` for `metadata`.
 */
export function messageResource(
  message: StoredGmailMessage,
  format: GmailMessageFormat,
  metadataHeaders: readonly string[] = [],
): gmail_v1.Schema$Message {
  const resource: gmail_v1.Schema$Message = {
    id: message.id,
    threadId: message.threadId,
    ...(message.labelIds.length > 0 ? { labelIds: [...message.labelIds] } : {}),
    snippet: snippetOf(message.raw),
    sizeEstimate: message.raw.length,
    historyId: String(message.historyId),
    internalDate: String(message.internalDate),
  };
  if (format === 'raw') resource.raw = message.raw.toString('base64url');
  if (format === 'full') resource.payload = partResource(parseMimeTree(message.raw));
  if (format === 'metadata') {
    const tree = parseMimeTree(message.raw);
    const only = metadataHeaders.length > 0 ? new Set(metadataHeaders.map((h) => h.toLowerCase())) : undefined;
    resource.payload = { partId: '', mimeType: tree.mimeType, filename: '', headers: headerList(tree, only) };
  }
  return resource;
}

/** `{ id, threadId }`, the shape of list entries and history `messages`. */
export function messageRef(message: { id: string; threadId: string }): gmail_v1.Schema$Message {
  return { id: message.id, threadId: message.threadId };
}

/** A History resource for one record: `messages` plus the one list its kind fills. */
export function historyResource(record: HistoryRecord): gmail_v1.Schema$History {
  const message: gmail_v1.Schema$Message = {
    id: record.message.id,
    threadId: record.message.threadId,
    ...(record.message.labelIds.length > 0 ? { labelIds: [...record.message.labelIds] } : {}),
  };
  const resource: gmail_v1.Schema$History = { id: String(record.id), messages: [messageRef(record.message)] };
  switch (record.type) {
    case 'messageAdded':
      return { ...resource, messagesAdded: [{ message }] };
    case 'messageDeleted':
      return { ...resource, messagesDeleted: [{ message }] };
    case 'labelAdded':
      return { ...resource, labelsAdded: [{ message, labelIds: [...(record.labelIds ?? [])] }] };
    case 'labelRemoved':
      return { ...resource, labelsRemoved: [{ message, labelIds: [...(record.labelIds ?? [])] }] };
  }
}
