import { delta } from './fake-graph-delta-route';
import { FakeGraphHttpError, itemNotFound } from './fake-graph-http-error';
import { listAllMessages, listMessages } from './fake-graph-list-routes';
import type { FakeGraphMessage } from './fake-graph-message';
import { messageJson, parseSelect } from './fake-graph-message-json';
import { bodyContentType, entityContext, type FakeGraphRouteContext, type FakeGraphRouteResult } from './fake-graph-route-context';
import { createReply, patchMessage } from './fake-graph-write-routes';

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
