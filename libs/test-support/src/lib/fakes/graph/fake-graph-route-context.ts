import type { FakeGraphDeltaTokens } from './fake-graph-delta-tokens';
import type { FakeGraphMailboxStore } from './fake-graph-mailbox-store';

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

/** Graph's page size when the client names none (`$top`, `odata.maxpagesize`). */
export const DEFAULT_PAGE_SIZE = 10;
/** The largest page the fake serves. */
export const MAX_PAGE_SIZE = 1000;

/** `@odata.context` of a single message. */
export function entityContext(ctx: FakeGraphRouteContext): string {
  return `${ctx.apiBase}/$metadata#users('${encodeURIComponent(ctx.mailbox.upn)}')/messages/$entity`;
}

/** `Prefer: outlook.body-content-type` as `text`/`html`, else `undefined` (the stored format). */
export function bodyContentType(ctx: FakeGraphRouteContext): 'text' | 'html' | undefined {
  const value = ctx.prefer.get('outlook.body-content-type')?.toLowerCase();
  return value === 'text' || value === 'html' ? value : undefined;
}
