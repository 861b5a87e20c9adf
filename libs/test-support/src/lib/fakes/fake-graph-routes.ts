import type { FakeGraphDeltaTokens } from './fake-graph-delta-tokens';
import { FakeGraphHttpError, itemNotFound } from './fake-graph-http-error';
import type { FakeGraphMailboxStore, FakeGraphMessagePatch } from './fake-graph-mailbox-store';
import type { FakeGraphItemBody, FakeGraphMessage, FakeGraphRecipient } from './fake-graph-message';
import { messageJson, messagePlainText, parseSelect } from './fake-graph-message-json';

/** One authenticated request, resolved to its mailbox, as the routes see it. */
export interface FakeGraphRouteContext {
  readonly method: string;
  /** Path segments after `/v1.0/me` (or `/v1.0/users/{upn}`), percent-decoded. */
  readonly segments: readonly string[];
  /** Query parameters, keys lower-cased, percent-decoded, `+` as space. */
  readonly query: Readonly<Record<string, string>>;
  /** `Prefer` header preferences, names lower-cased, quotes stripped. */
  readonly prefer: ReadonlyMap<string, string>;
  readonly mailbox: FakeGraphMailboxStore;
  /** Lower-case UPN. */
  readonly mailboxKey: string;
  /** `origin + '/v1.0'`. */
  readonly apiBase: string;
  /** `apiBase + '/me'` or `apiBase + "/users/{upn}"`, whichever the request used. */
  readonly resourceBase: string;
  readonly tokens: FakeGraphDeltaTokens;
  /** The JSON request body, `undefined` when empty. */
  readBody(): Promise<unknown>;
}

/** What a route answers. */
export interface FakeGraphRouteResult {
  readonly status: number;
  /** Sent as Graph's OData JSON. */
  readonly json?: unknown;
  /** Sent as `text/plain` bytes (`$value`). */
  readonly raw?: Buffer;
  readonly headers?: Readonly<Record<string, string>>;
}

const DEFAULT_PAGE_SIZE = 10;
const MAX_PAGE_SIZE = 1000;

/**
 * Dispatches a request under `/me` to the mail endpoints the fake implements.
 *
 * @throws FakeGraphHttpError for every error answer (the caller renders it).
 */
export async function routeGraphRequest(ctx: FakeGraphRouteContext): Promise<FakeGraphRouteResult> {
  const segments = ctx.segments;
  const is = (index: number, name: string): boolean => segments[index]?.toLowerCase() === name.toLowerCase();
  if (segments.length === 0) return only(ctx, 'GET', async () => userJson(ctx));
  if (is(0, 'mailFolders') && segments.length >= 2) {
    const folder = ctx.mailbox.folder(segments[1]);
    if (!folder) throw itemNotFound();
    if (segments.length === 2) return only(ctx, 'GET', () => folderJson(ctx, folder.id));
    if (is(2, 'messages')) {
      if (segments.length === 3) {
        return only(ctx, 'GET', () => listMessages(ctx, ctx.mailbox.listMessages(folder.id), `mailFolders('${folder.id}')/messages`));
      }
      if (segments.length === 4 && isFunction(segments[3], 'delta')) return only(ctx, 'GET', () => delta(ctx, folder.id));
      const message = ctx.mailbox.getMessage(segments[3]);
      if (!message || message.parentFolderId !== folder.id) throw itemNotFound();
      return messageRoute(ctx, message, segments.slice(4));
    }
    throw unknownSegment(segments[2]);
  }
  if (is(0, 'messages')) {
    if (segments.length === 1) return only(ctx, 'GET', () => listAllMessages(ctx));
    const message = ctx.mailbox.getMessage(segments[1]);
    if (!message) throw itemNotFound();
    return messageRoute(ctx, message, segments.slice(2));
  }
  throw unknownSegment(segments[0] ?? '');
}

function unknownSegment(segment: string): FakeGraphHttpError {
  return new FakeGraphHttpError(400, 'BadRequest', `Resource not found for the segment '${segment}'.`);
}

/** `/messages/{id}` followed by `tail` (nothing, `$value` or `createReply`). */
function messageRoute(ctx: FakeGraphRouteContext, message: FakeGraphMessage, tail: readonly string[]): Promise<FakeGraphRouteResult> {
  const [action, ...extra] = tail;
  if (extra.length > 0) throw unknownSegment(extra[0]);
  if (action === undefined) {
    if (ctx.method === 'GET') return getMessage(ctx, message);
    if (ctx.method === 'PATCH') return patchMessage(ctx, message);
    if (ctx.method === 'DELETE') {
      ctx.mailbox.deleteMessage(message.id);
      return Promise.resolve({ status: 204 });
    }
    throw methodNotAllowed(ctx);
  }
  if (action === '$value') return only(ctx, 'GET', async () => ({ status: 200, raw: message.raw }));
  if (isFunction(action, 'createReply')) return only(ctx, 'POST', () => createReply(ctx, message));
  throw unknownSegment(action);
}

async function only(ctx: FakeGraphRouteContext, method: string, run: () => Promise<FakeGraphRouteResult>): Promise<FakeGraphRouteResult> {
  if (ctx.method !== method) throw methodNotAllowed(ctx);
  return run();
}

function methodNotAllowed(ctx: FakeGraphRouteContext): FakeGraphHttpError {
  return new FakeGraphHttpError(405, 'BadRequest', `The HTTP method '${ctx.method}' is not supported for this resource.`);
}

/** `delta` and its fully qualified name `microsoft.graph.delta`, case-insensitive. */
function isFunction(segment: string, name: string): boolean {
  const s = segment.toLowerCase();
  return s === name.toLowerCase() || s === `microsoft.graph.${name.toLowerCase()}`;
}

function entityContext(ctx: FakeGraphRouteContext): string {
  return `${ctx.apiBase}/$metadata#users('${encodeURIComponent(ctx.mailbox.upn)}')/messages/$entity`;
}

function bodyContentType(ctx: FakeGraphRouteContext): 'text' | 'html' | undefined {
  const value = ctx.prefer.get('outlook.body-content-type')?.toLowerCase();
  return value === 'text' || value === 'html' ? value : undefined;
}

/** `GET /me`: the mailbox owner as a Graph user (id, displayName, mail, userPrincipalName). */
function userJson(ctx: FakeGraphRouteContext): FakeGraphRouteResult {
  const user: Record<string, string> = {
    id: ctx.mailbox.userId,
    displayName: ctx.mailbox.upn.split('@')[0],
    mail: ctx.mailbox.upn,
    userPrincipalName: ctx.mailbox.upn,
  };
  const select = ctx.query['$select']?.split(',').map((p) => p.trim());
  const known = new Map(Object.keys(user).map((k) => [k.toLowerCase(), k]));
  const picked: Record<string, string> = {};
  for (const raw of select ?? Object.keys(user)) {
    const name = known.get(raw.toLowerCase());
    if (!name) throw new FakeGraphHttpError(400, 'BadRequest', `Could not find a property named '${raw}' on type 'microsoft.graph.user'.`);
    picked[name] = user[name];
  }
  const context = select ? `users(${select.join(',')})/$entity` : 'users/$entity';
  return { status: 200, json: { '@odata.context': `${ctx.apiBase}/$metadata#${context}`, ...picked } };
}

async function folderJson(ctx: FakeGraphRouteContext, folderId: string): Promise<FakeGraphRouteResult> {
  const folder = ctx.mailbox.folder(folderId);
  if (!folder) throw itemNotFound();
  const messages = ctx.mailbox.listMessages(folder.id);
  return {
    status: 200,
    json: {
      '@odata.context': `${ctx.apiBase}/$metadata#users('${encodeURIComponent(ctx.mailbox.upn)}')/mailFolders/$entity`,
      id: folder.id,
      displayName: folder.displayName,
      parentFolderId: null,
      childFolderCount: 0,
      unreadItemCount: messages.filter((m) => !m.isRead).length,
      totalItemCount: messages.length,
      isHidden: false,
    },
  };
}

async function getMessage(ctx: FakeGraphRouteContext, message: FakeGraphMessage): Promise<FakeGraphRouteResult> {
  const json = await messageJson(message, { select: parseSelect(ctx.query['$select']), bodyContentType: bodyContentType(ctx) });
  return { status: 200, json: { '@odata.context': entityContext(ctx), ...json } };
}

/**
 * Delta on a folder. The page size comes from `Prefer: odata.maxpagesize=N` on each request
 * (default 10); links are absolute, on the fake's origin, in Graph's form
 * `.../mailFolders('<id>')/messages/delta?$skiptoken=...` / `?$deltatoken=...`. The first
 * request may filter with `$filter=receivedDateTime ge|gt <ISO time>` (the one filter Graph's
 * message delta supports); `$select` and the filter are kept in the tokens, as Graph does.
 */
async function delta(ctx: FakeGraphRouteContext, folderId: string): Promise<FakeGraphRouteResult> {
  const folder = ctx.mailbox.folder(folderId);
  if (!folder) throw itemNotFound();
  const skipToken = ctx.query['$skiptoken'];
  const deltaToken = ctx.query['$deltatoken'];
  let cursor = 0;
  let initial = true;
  let select = parseSelect(ctx.query['$select']);
  let received = parseReceivedFilter(ctx.query['$filter']);
  const token = skipToken ?? deltaToken;
  if (token !== undefined) {
    const state = ctx.tokens.decode(token);
    if (!state || state.mailbox !== ctx.mailboxKey || state.folderId !== folder.id || state.generation !== ctx.mailbox.deltaGeneration) {
      // Graph answers an expired mail delta/skip token with 410 Gone and this code (observed,
      // e.g. microsoftgraph/microsoft-graph-docs#2350 and #2877).
      throw new FakeGraphHttpError(410, 'SyncStateNotFound', 'The sync state generation is not found. The delta token is expired and data must be synchronized again.');
    }
    ({ cursor, select, received } = state);
    initial = skipToken !== undefined && state.initial;
  }
  const requested = Number(ctx.prefer.get('odata.maxpagesize'));
  const pageSize = Number.isInteger(requested) && requested > 0 ? Math.min(requested, MAX_PAGE_SIZE) : DEFAULT_PAGE_SIZE;
  const filter = received;
  const since = filter ? Date.parse(filter.dateTime) : 0;
  const include = filter
    ? (change: { messageId: string; removed: boolean }): boolean => {
        const message = ctx.mailbox.getMessage(change.messageId);
        if (change.removed || !message) return true; // removals are always reported
        const at = Date.parse(message.receivedDateTime);
        return filter.operator === 'gt' ? at > since : at >= since;
      }
    : undefined;
  const page = folder.changesFrom(cursor, { initial, pageSize, include });
  const value = await Promise.all(
    page.changes.map(async (change) => {
      const message = change.removed ? undefined : ctx.mailbox.getMessage(change.messageId);
      if (!message) return { '@odata.type': '#microsoft.graph.message', id: change.messageId, '@removed': { reason: 'deleted' } };
      return messageJson(message, { select, bodyContentType: bodyContentType(ctx), withType: true });
    }),
  );
  const done = page.cursor >= folder.logLength;
  const next = ctx.tokens.encode({
    mailbox: ctx.mailboxKey,
    folderId: folder.id,
    cursor: page.cursor,
    initial: done ? false : initial,
    select,
    received,
    generation: ctx.mailbox.deltaGeneration,
  });
  const link = `${ctx.resourceBase}/mailFolders('${folder.id}')/messages/delta?${done ? '$deltatoken' : '$skiptoken'}=${next}`;
  return {
    status: 200,
    headers: ctx.prefer.has('odata.maxpagesize') ? { 'Preference-Applied': `odata.maxpagesize=${pageSize}` } : {},
    json: {
      '@odata.context': `${ctx.apiBase}/$metadata#Collection(message)`,
      ...(done ? {} : { '@odata.nextLink': link }),
      value,
      ...(done ? { '@odata.deltaLink': link } : {}),
    },
  };
}

/**
 * `GET /me/messages`: every folder. Supports exactly `$filter=conversationId eq '<id>'`
 * (quotes doubled inside), `$orderby=receivedDateTime [asc|desc]` without a filter (Graph
 * refuses the combination with InefficientFilter), `$select`, `$top` (default 10), `$skip`.
 */
async function listAllMessages(ctx: FakeGraphRouteContext): Promise<FakeGraphRouteResult> {
  const filter = ctx.query['$filter'];
  if (filter === undefined) return listMessages(ctx, allMessages(ctx), 'messages');
  const match = /^\s*conversationId\s+eq\s+'((?:[^']|'')*)'\s*$/i.exec(filter);
  if (!match) {
    throw new FakeGraphHttpError(
      400,
      'ErrorInvalidUrlQueryFilter',
      `The query filter contains one or more invalid nodes. (The fake supports only $filter=conversationId eq '<id>', got: ${filter})`,
    );
  }
  if (ctx.query['$orderby'] !== undefined) {
    throw new FakeGraphHttpError(400, 'InefficientFilter', 'The restriction or sort order is too complex for this operation.');
  }
  return listMessages(ctx, ctx.mailbox.conversation(match[1].replace(/''/g, "'")), 'messages');
}

function parseReceivedFilter(filter: string | undefined): { operator: 'ge' | 'gt'; dateTime: string } | undefined {
  if (filter === undefined) return undefined;
  const match = /^\s*receivedDateTime\s+(ge|gt)\s+(\S+)\s*$/i.exec(filter);
  if (!match || Number.isNaN(Date.parse(match[2]))) {
    throw new FakeGraphHttpError(
      400,
      'ErrorInvalidUrlQueryFilter',
      `The query filter contains one or more invalid nodes. (Message delta supports only $filter=receivedDateTime ge <time>, got: ${filter})`,
    );
  }
  return { operator: match[1].toLowerCase() as 'ge' | 'gt', dateTime: match[2] };
}

function allMessages(ctx: FakeGraphRouteContext): FakeGraphMessage[] {
  return ['inbox', 'sentitems', 'drafts', 'deleteditems'].flatMap((f) => [...ctx.mailbox.listMessages(f)]);
}

async function listMessages(ctx: FakeGraphRouteContext, messages: readonly FakeGraphMessage[], path: string): Promise<FakeGraphRouteResult> {
  const select = parseSelect(ctx.query['$select']);
  const top = intParam(ctx, '$top', DEFAULT_PAGE_SIZE);
  const skip = intParam(ctx, '$skip', 0);
  const orderBy = (ctx.query['$orderby'] ?? 'receivedDateTime desc').trim();
  const order = /^receivedDateTime(\s+(asc|desc))?$/i.exec(orderBy);
  if (!order) throw new FakeGraphHttpError(400, 'BadRequest', `The fake supports only $orderby=receivedDateTime [asc|desc], got: ${orderBy}`);
  const descending = (order[2] ?? 'asc').toLowerCase() === 'desc';
  // Arrival order breaks ties between equal (whole-second) timestamps.
  const sorted = messages.map((m, i) => ({ m, i })).sort((a, b) => a.m.receivedDateTime.localeCompare(b.m.receivedDateTime) || a.i - b.i);
  if (descending) sorted.reverse();
  const page = sorted.slice(skip, skip + top).map((x) => x.m);
  const value = await Promise.all(page.map((m) => messageJson(m, { select, bodyContentType: bodyContentType(ctx) })));
  const more = skip + top < sorted.length;
  const keep = ['$filter', '$select', '$orderby'].flatMap((k) => (ctx.query[k] === undefined ? [] : [`${k}=${encodeURIComponent(ctx.query[k])}`]));
  const nextLink = `${ctx.resourceBase}/${path}?${[...keep, `$top=${top}`, `$skip=${skip + top}`].join('&')}`;
  return {
    status: 200,
    json: {
      '@odata.context': `${ctx.apiBase}/$metadata#users('${encodeURIComponent(ctx.mailbox.upn)}')/messages`,
      value,
      ...(more ? { '@odata.nextLink': nextLink } : {}),
    },
  };
}

function intParam(ctx: FakeGraphRouteContext, name: string, fallback: number): number {
  const raw = ctx.query[name];
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || (name === '$top' && (value < 1 || value > MAX_PAGE_SIZE))) {
    throw new FakeGraphHttpError(400, 'BadRequest', `Invalid value '${raw}' for query option ${name}.`);
  }
  return value;
}

/**
 * PATCH: `subject` and `body` on drafts only (Graph documents both as "updatable only if
 * isDraft = true"; on other messages the fake answers 400 ErrorInvalidPropertySet, the code Graph
 * gives for `from`), `isRead`, `toRecipients`, `ccRecipients` on any message. Any other property
 * is refused with 400 RequestBodyRead so a test notices what the fake does not model.
 */
async function patchMessage(ctx: FakeGraphRouteContext, message: FakeGraphMessage): Promise<FakeGraphRouteResult> {
  const body = await ctx.readBody();
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new FakeGraphHttpError(400, 'BadRequest', 'Empty Payload. JSON content expected.');
  }
  const patch: { -readonly [K in keyof FakeGraphMessagePatch]: FakeGraphMessagePatch[K] } = {};
  for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
    if (key === '@odata.type') continue;
    if ((key === 'subject' || key === 'body') && !message.isDraft) {
      throw new FakeGraphHttpError(400, 'ErrorInvalidPropertySet', 'Message is not draft.');
    }
    if (key === 'subject' && typeof value === 'string') patch.subject = value;
    else if (key === 'body') patch.body = itemBody(value);
    else if (key === 'isRead' && typeof value === 'boolean') patch.isRead = value;
    else if (key === 'toRecipients' || key === 'ccRecipients') patch[key] = recipientList(key, value);
    else {
      throw new FakeGraphHttpError(
        400,
        'RequestBodyRead',
        `The property '${key}' does not exist on type 'microsoft.graph.message' or cannot be set by this fake (supported: subject, body, isRead, toRecipients, ccRecipients).`,
      );
    }
  }
  const updated = ctx.mailbox.updateMessage(message.id, patch);
  const json = await messageJson(updated, { select: undefined, bodyContentType: bodyContentType(ctx) });
  return { status: 200, json: { '@odata.context': entityContext(ctx), ...json } };
}

function itemBody(value: unknown): FakeGraphItemBody {
  const v = value as { contentType?: unknown; content?: unknown } | null;
  const contentType = typeof v?.contentType === 'string' ? v.contentType.toLowerCase() : 'text';
  if (typeof v?.content !== 'string' || (contentType !== 'text' && contentType !== 'html')) {
    throw new FakeGraphHttpError(400, 'RequestBodyRead', "Invalid 'body': expected { contentType: 'text' | 'html', content: string }.");
  }
  return { contentType, content: v.content };
}

function recipientList(key: string, value: unknown): FakeGraphRecipient[] {
  if (!Array.isArray(value)) throw new FakeGraphHttpError(400, 'RequestBodyRead', `Invalid '${key}': expected an array of recipients.`);
  return value.map((r: { emailAddress?: { address?: unknown; name?: unknown } }) => {
    const address = r?.emailAddress?.address;
    if (typeof address !== 'string') throw new FakeGraphHttpError(400, 'ErrorInvalidRecipients', 'At least one recipient is not valid.');
    const name = typeof r.emailAddress?.name === 'string' && r.emailAddress.name ? r.emailAddress.name : address;
    return { emailAddress: { name, address } };
  });
}

/** createReply: optional `{ comment }` or `{ message: { body } }` (not both, as Graph). */
async function createReply(ctx: FakeGraphRouteContext, original: FakeGraphMessage): Promise<FakeGraphRouteResult> {
  const body = ((await ctx.readBody()) ?? {}) as { comment?: unknown; message?: { body?: unknown } };
  const comment = typeof body.comment === 'string' ? body.comment : undefined;
  const messageBody = body.message?.body === undefined ? undefined : itemBody(body.message.body);
  if (comment !== undefined && messageBody !== undefined) {
    throw new FakeGraphHttpError(400, 'ErrorInvalidRequest', 'Specify either comment or the body property of the message parameter, not both.');
  }
  const draft = ctx.mailbox.createReplyDraft(original.id, {
    comment,
    body: messageBody,
    quotedText: messageBody ? undefined : await messagePlainText(original),
  });
  const json = await messageJson(draft, { select: undefined, bodyContentType: bodyContentType(ctx) });
  return { status: 201, json: { '@odata.context': entityContext(ctx), ...json } };
}
