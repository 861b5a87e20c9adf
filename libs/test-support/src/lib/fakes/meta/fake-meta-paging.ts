import { metaGraphErrors } from './fake-meta-graph-error';

/** One page of a Graph edge: `{ data, paging }` as Graph sends it. */
export interface FakeMetaPage {
  readonly data: readonly unknown[];
  readonly paging?: { cursors: { before: string; after: string }; next?: string; previous?: string };
}

/** Graph's default page size for edges (25), used when the request has no `limit`. */
export const FAKE_META_DEFAULT_PAGE_SIZE = 25;

/**
 * One page of `items` as a Graph cursor-paged edge: `limit` (default `pageSize`, at most 5000)
 * items from the one after the `after` cursor (or before the `before` one), with
 * `paging.cursors.before` / `after` (opaque base64 strings, as Graph's) and `paging.next` /
 * `previous`: the full URL of the neighbouring page with every parameter of this request
 * (`access_token` included, as Graph does) and the cursor. No `paging` for an empty result.
 * @throws FakeMetaGraphError code 100 for a cursor the fake did not issue or a bad limit.
 */
export function fakeMetaPage(items: readonly unknown[], requestUrl: URL, pageSize: number): FakeMetaPage {
  const params = requestUrl.searchParams;
  const limitText = params.get('limit');
  const limit = limitText === null ? pageSize : Number(limitText);
  if (!Number.isInteger(limit) || limit < 1 || limit > 5000) throw metaGraphErrors.invalidParameter('Param limit must be an integer between 1 and 5000');
  let start = 0;
  const after = params.get('after');
  const before = params.get('before');
  if (after !== null) start = decodeCursor(after) + 1;
  else if (before !== null) start = Math.max(0, decodeCursor(before) - limit);
  const end = Math.min(items.length, start + limit);
  if (items.length === 0 || start >= end) return { data: [] };
  const link = (cursorName: 'after' | 'before', position: number): string => {
    const url = new URL(requestUrl.href);
    url.searchParams.delete('after');
    url.searchParams.delete('before');
    url.searchParams.set(cursorName, encodeCursor(position));
    return url.href;
  };
  return {
    data: items.slice(start, end),
    paging: {
      cursors: { before: encodeCursor(start), after: encodeCursor(end - 1) },
      ...(end < items.length ? { next: link('after', end - 1) } : {}),
      ...(start > 0 ? { previous: link('before', start) } : {}),
    },
  };
}

function encodeCursor(position: number): string {
  return Buffer.from(`fake:${position}`).toString('base64url');
}

function decodeCursor(cursor: string): number {
  const match = /^fake:(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) throw metaGraphErrors.invalidParameter(`Invalid cursor ${cursor}`);
  return Number(match[1]);
}
