import { FakeGraphHttpError } from './fake-graph-http-error';
import type { FakeGraphMessage } from './fake-graph-message';
import { messageJson, parseSelect } from './fake-graph-message-json';
import {
  bodyContentType,
  DEFAULT_PAGE_SIZE,
  MAX_PAGE_SIZE,
  type FakeGraphRouteContext,
  type FakeGraphRouteResult,
} from './fake-graph-route-context';

/**
 * `GET /me/messages`: every folder. Supports exactly `$filter=conversationId eq '<id>'`
 * (quotes doubled inside), `$orderby=receivedDateTime [asc|desc]` without a filter (Graph
 * refuses the combination with InefficientFilter), `$select`, `$top` (default 10), `$skip`.
 */
export async function listAllMessages(ctx: FakeGraphRouteContext): Promise<FakeGraphRouteResult> {
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

function allMessages(ctx: FakeGraphRouteContext): FakeGraphMessage[] {
  return ['inbox', 'sentitems', 'drafts', 'deleteditems'].flatMap((f) => [...ctx.mailbox.listMessages(f)]);
}

/**
 * One page of `messages` as Graph lists them: `$orderby=receivedDateTime [asc|desc]` (default
 * desc, arrival order breaking ties), `$skip`, `$top` (default 10, at most 1000), `$select`, and
 * an absolute `@odata.nextLink` to `resourceBase/path` with `$skip` advanced while more remain.
 */
export async function listMessages(ctx: FakeGraphRouteContext, messages: readonly FakeGraphMessage[], path: string): Promise<FakeGraphRouteResult> {
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
