import { FakeGraphHttpError, itemNotFound } from './fake-graph-http-error';
import { messageJson, parseSelect } from './fake-graph-message-json';
import {
  bodyContentType,
  DEFAULT_PAGE_SIZE,
  MAX_PAGE_SIZE,
  type FakeGraphRouteContext,
  type FakeGraphRouteResult,
} from './fake-graph-route-context';

/**
 * Delta on a folder. The page size comes from `Prefer: odata.maxpagesize=N` on each request
 * (default 10); links are absolute, on the fake's origin, in Graph's form
 * `.../mailFolders('<id>')/messages/delta?$skiptoken=...` / `?$deltatoken=...`. The first
 * request may filter with `$filter=receivedDateTime ge|gt <ISO time>` (the one filter Graph's
 * message delta supports); `$select` and the filter are kept in the tokens, as Graph does.
 */
export async function delta(ctx: FakeGraphRouteContext, folderId: string): Promise<FakeGraphRouteResult> {
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
