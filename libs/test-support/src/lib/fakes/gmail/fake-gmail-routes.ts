import type { gmail_v1 } from '@googleapis/gmail';
import { invalidArgument, notFound } from './fake-gmail-api-error';
import type { GmailMailboxState } from './fake-gmail-mailbox';
import type { StoredGmailMessage } from './fake-gmail-message';
import { findMimePart, parseMimeTree } from './fake-gmail-mime-tree';
import {
  encodeListPageToken,
  readFormat,
  readHistoryId,
  readHistoryPageToken,
  readHistoryTypes,
  readListPageToken,
  readMaxResults,
  readSearchRange,
} from './fake-gmail-request-params';
import { historyResource, messageRef, messageResource, partIdOfAttachment } from './fake-gmail-resources';

/** A request already authenticated and resolved to its mailbox. */
export interface GmailRouteRequest {
  readonly method: string;
  /** Decoded path segments after `/gmail/v1/users/{userId}/`, e.g. `['messages', '18f...', 'modify']`. */
  readonly resource: readonly string[];
  readonly query: URLSearchParams;
  /** The parsed JSON body of a POST or PUT, else `undefined`. */
  readonly body: unknown;
}

/** What a route answers: a status and a JSON body (none for 204). */
export interface GmailRouteResponse {
  readonly status: number;
  readonly body?: unknown;
}

const ok = (body: unknown): GmailRouteResponse => ({ status: 200, body });
const NO_CONTENT: GmailRouteResponse = { status: 204 };

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

const stringList = (value: unknown, name: string): string[] => {
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every((v): v is string => typeof v === 'string')) throw invalidArgument(`Invalid ${name}`);
  return value;
};

/** `{ message: { raw, threadId? } }` of a draft create or update. */
const readDraftBody = (body: unknown): { raw: Buffer; threadId: string | undefined } => {
  const message = isRecord(body) ? body['message'] : undefined;
  const raw = isRecord(message) ? message['raw'] : undefined;
  if (typeof raw !== 'string' || raw === '') throw invalidArgument('Missing draft message');
  const threadId = isRecord(message) && typeof message['threadId'] === 'string' ? message['threadId'] : undefined;
  return { raw: Buffer.from(raw, 'base64url'), threadId };
};

/** One page of messages (or drafts): the page's messages and the rest of the list body. */
function listMessages(
  mailbox: GmailMailboxState,
  query: URLSearchParams,
  drafts: boolean,
): { refs: StoredGmailMessage[]; body: Record<string, unknown> } {
  const labelIds = query.getAll('labelIds');
  const page = mailbox.pageMessages({
    drafts: drafts || labelIds.includes('DRAFT'),
    labelIds,
    includeSpamTrash: query.get('includeSpamTrash') === 'true',
    ...readSearchRange(query.get('q')),
    olderThan: readListPageToken(query),
    limit: readMaxResults(query),
  });
  return {
    refs: [...page.items],
    body: {
      ...(page.next ? { nextPageToken: encodeListPageToken(page.next) } : {}),
      resultSizeEstimate: page.estimate,
    },
  };
}

function messagesRoute(mailbox: GmailMailboxState, request: GmailRouteRequest): GmailRouteResponse {
  const { method, query } = request;
  const [, id, action, attachmentId] = request.resource;
  if (id === undefined) {
    if (method !== 'GET') throw notFound();
    const { refs, body } = listMessages(mailbox, query, false);
    // Gmail leaves `messages` out of an empty page.
    return ok(refs.length > 0 ? { messages: refs.map(messageRef), ...body } : body);
  }
  const message = mailbox.findMessage(id);
  if (!message) throw notFound();
  if (action === undefined && method === 'GET') {
    return ok(messageResource(message, readFormat(query, ['minimal', 'metadata', 'full', 'raw']), query.getAll('metadataHeaders')));
  }
  if (action === undefined && method === 'DELETE') {
    mailbox.deleteMessage(id);
    return NO_CONTENT;
  }
  if (action === 'modify' && method === 'POST' && request.resource.length === 3) {
    const body = isRecord(request.body) ? request.body : {};
    const add = stringList(body['addLabelIds'], 'addLabelIds');
    const remove = stringList(body['removeLabelIds'], 'removeLabelIds');
    const draftLabel = [...add, ...remove].find((label) => label === 'DRAFT');
    if (draftLabel) throw invalidArgument(`Invalid label: ${draftLabel}`);
    mailbox.modifyLabels(id, add, remove);
    return ok(messageResource(message, 'minimal'));
  }
  if (action === 'attachments' && attachmentId !== undefined && method === 'GET' && request.resource.length === 4) {
    const partId = partIdOfAttachment(attachmentId);
    const part = partId === undefined ? undefined : findMimePart(parseMimeTree(message.raw), partId);
    if (!part || part.parts.length > 0) throw notFound();
    return ok({ size: part.body.length, data: part.body.toString('base64url') });
  }
  throw notFound();
}

function historyRoute(mailbox: GmailMailboxState, query: URLSearchParams): GmailRouteResponse {
  const startId = readHistoryId(query, 'startHistoryId');
  if (startId === undefined) throw invalidArgument('Missing required parameter: startHistoryId');
  const labelId = query.get('labelId') ?? undefined;
  const page = mailbox.pageHistory(startId, readHistoryPageToken(query), readMaxResults(query), { types: readHistoryTypes(query), labelId });
  // Gmail's documented answer to a start id older than its retained history; clients full-sync.
  if (!page) throw notFound();
  return ok({
    ...(page.records.length > 0 ? { history: page.records.map(historyResource) } : {}),
    ...(page.next !== undefined ? { nextPageToken: String(page.next) } : {}),
    historyId: String(mailbox.historyId),
  });
}

function threadsRoute(mailbox: GmailMailboxState, request: GmailRouteRequest): GmailRouteResponse {
  const [, id] = request.resource;
  if (id === undefined || request.method !== 'GET' || request.resource.length !== 2) throw notFound();
  // Gmail's thread ids are hex; anything else (e.g. an Outlook conversation id) is refused as
  // 400 invalidArgument "Invalid id value", not 404 (github.com/googleworkspace/cli/issues/790).
  if (!/^[0-9a-f]{1,16}$/.test(id)) throw invalidArgument('Invalid id value');
  const messages = mailbox.threadMessages(id);
  if (!messages) throw notFound();
  const format = readFormat(request.query, ['minimal', 'metadata', 'full']);
  const metadataHeaders = request.query.getAll('metadataHeaders');
  return ok({
    id,
    historyId: String(messages.reduce((latest, m) => Math.max(latest, m.historyId), 0)),
    messages: messages.map((m) => messageResource(m, format, metadataHeaders)),
  });
}

const draftResource = (message: StoredGmailMessage, resource: gmail_v1.Schema$Message): gmail_v1.Schema$Draft => ({
  id: message.draftId,
  message: resource,
});

const draftCreated = (message: StoredGmailMessage): gmail_v1.Schema$Draft =>
  draftResource(message, { id: message.id, threadId: message.threadId, labelIds: [...message.labelIds] });

function draftsRoute(mailbox: GmailMailboxState, request: GmailRouteRequest): GmailRouteResponse {
  const { method, query } = request;
  const [, id] = request.resource;
  if (request.resource.length > 2) throw notFound();
  if (id === undefined) {
    if (method === 'GET') {
      const { refs, body } = listMessages(mailbox, query, true);
      return ok(refs.length > 0 ? { drafts: refs.map((m) => draftResource(m, messageRef(m))), ...body } : body);
    }
    if (method === 'POST') {
      const { raw, threadId } = readDraftBody(request.body);
      return ok(draftCreated(mailbox.createDraft(raw, threadId)));
    }
    throw notFound();
  }
  const message = mailbox.findDraft(id);
  if (!message) throw notFound();
  if (method === 'GET') return ok(draftResource(message, messageResource(message, readFormat(query, ['minimal', 'metadata', 'full', 'raw']))));
  if (method === 'DELETE') {
    mailbox.deleteDraft(id);
    return NO_CONTENT;
  }
  if (method === 'PUT') {
    const { raw, threadId } = readDraftBody(request.body);
    const updated = mailbox.updateDraft(id, raw, threadId);
    if (!updated) throw notFound();
    return ok(draftCreated(updated));
  }
  throw notFound();
}

/**
 * Answers one Gmail API v1 request for `mailbox`: profile, messages (list, get, modify, delete,
 * attachments), history, threads.get and drafts (list, create, get, update, delete).
 *
 * @throws GmailApiError for any error answer (404 for an unknown path or id).
 */
export function routeGmailRequest(mailbox: GmailMailboxState, request: GmailRouteRequest): GmailRouteResponse {
  const [collection] = request.resource;
  switch (collection) {
    case 'profile':
      if (request.method !== 'GET' || request.resource.length !== 1) throw notFound();
      return ok({ emailAddress: mailbox.email, ...mailbox.profile(), historyId: String(mailbox.historyId) });
    case 'messages':
      return messagesRoute(mailbox, request);
    case 'history':
      if (request.method !== 'GET' || request.resource.length !== 1) throw notFound();
      return historyRoute(mailbox, request.query);
    case 'threads':
      return threadsRoute(mailbox, request);
    case 'drafts':
      return draftsRoute(mailbox, request);
    default:
      throw notFound();
  }
}
