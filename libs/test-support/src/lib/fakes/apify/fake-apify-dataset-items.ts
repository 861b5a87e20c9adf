import { apifyErrors } from './fake-apify-api-error';
import type { FakeApifyItem } from './fake-apify-actors';
import { queryBoolean, queryList, queryNumber } from './fake-apify-query';

/** The `limit` Apify reports when none was asked for (as the apify-client source notes). */
export const FAKE_APIFY_NO_LIMIT = 999_999_999_999;

/** One page of dataset items, ready to send. */
export interface FakeApifyItemsPage {
  readonly contentType: string;
  readonly body: string;
  /** `X-Apify-Pagination-Offset/Limit/Count/Total/Desc`. */
  readonly headers: Readonly<Record<string, string>>;
}

/**
 * `GET /v2/datasets/{id}/items` over `items`: `format` `json` (default, an array) or `jsonl`;
 * `offset`, `limit` (absent or 0: all, reported as {@link FAKE_APIFY_NO_LIMIT}), `desc`;
 * `clean` (= `skipHidden` + `skipEmpty`: drop top-level `#fields`, skip empty items), `fields`
 * and `omit` (comma-separated top-level names). As Apify documents, pagination counts stored
 * items, before empty ones are skipped; `X-Apify-Pagination-Count` is the page's stored-item
 * count and `Total` the dataset's item count.
 * @throws FakeApifyApiError 400 on a bad parameter or another format.
 */
export function listDatasetItems(items: readonly FakeApifyItem[], query: URLSearchParams): FakeApifyItemsPage {
  const format = (query.get('format') ?? 'json').toLowerCase();
  if (format !== 'json' && format !== 'jsonl') {
    throw apifyErrors.invalidParameter(`Format "${format}" is not supported by the fake Apify server (json, jsonl)`);
  }
  const offset = queryNumber(query, 'offset', { integer: true }) ?? 0;
  const limit = queryNumber(query, 'limit', { integer: true }) || undefined;
  const desc = queryBoolean(query, 'desc');
  const clean = queryBoolean(query, 'clean');
  const skipHidden = queryBoolean(query, 'skipHidden', clean);
  const skipEmpty = queryBoolean(query, 'skipEmpty', clean);
  const fields = queryList(query, 'fields');
  const omit = queryList(query, 'omit');

  const ordered = desc ? [...items].reverse() : items;
  const page = ordered.slice(offset, limit === undefined ? undefined : offset + limit);
  const out = page
    .filter((item) => !skipEmpty || Object.keys(item).length > 0)
    .map((item) => {
      let entries = Object.entries(item as Record<string, unknown>);
      if (skipHidden) entries = entries.filter(([k]) => !k.startsWith('#'));
      if (fields) entries = fields.filter((f) => Object.hasOwn(item, f)).map((f) => [f, (item as Record<string, unknown>)[f]]);
      if (omit) entries = entries.filter(([k]) => !omit.includes(k));
      return Object.fromEntries(entries);
    });
  return {
    contentType: format === 'json' ? 'application/json; charset=utf-8' : 'application/jsonl; charset=utf-8',
    body: format === 'json' ? JSON.stringify(out) : out.map((item) => `${JSON.stringify(item)}\n`).join(''),
    headers: {
      'X-Apify-Pagination-Offset': String(offset),
      'X-Apify-Pagination-Limit': String(limit ?? FAKE_APIFY_NO_LIMIT),
      'X-Apify-Pagination-Count': String(page.length),
      'X-Apify-Pagination-Total': String(items.length),
      'X-Apify-Pagination-Desc': String(desc),
    },
  };
}
