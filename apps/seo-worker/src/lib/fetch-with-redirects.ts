import { describeFetchError, RefusedAddressError } from '@jobs/net-guard';
import type { FetchedResponse, FetchOnceOptions, HttpFetcher } from './http-fetcher';
import type { RedirectHop } from '@jobs/queue-contracts';

/** Whether to follow a redirect to a URL: `follow`, or why not. */
export type HopVerdict = 'follow' | 'off-site' | 'robots';

/** Options of {@link fetchWithRedirects}. */
export interface RedirectFetchOptions extends FetchOnceOptions {
  /** Most redirects to follow; one more 3xx makes the outcome `failed`. */
  readonly maxRedirects: number;
  /** Asked before each redirect hop (not for the first URL). Default: follow everything. */
  readonly beforeHop?: (next: URL) => HopVerdict | Promise<HopVerdict>;
}

interface OutcomeBase {
  /** Each 3xx answered on the way, in order: `{ url asked, status }`. */
  readonly chain: RedirectHop[];
  /** Time spent in requests over all hops, in ms. */
  readonly timeMs: number;
}

/**
 * Where {@link fetchWithRedirects} ended:
 * - `response`: a final response that is not a redirect (any status, 2xx to 5xx).
 * - `stopped`: `beforeHop` declined the redirect to `url` (`off-site` or `robots`).
 * - `refused`: the address guard refused `url`'s host.
 * - `failed`: network error, timeout, a 3xx without a usable `Location`, or too many
 *   redirects; `error` says which.
 */
export type RedirectFetchOutcome =
  | (OutcomeBase & { readonly kind: 'response'; readonly response: FetchedResponse })
  | (OutcomeBase & {
      readonly kind: 'stopped';
      readonly reason: 'off-site' | 'robots';
      readonly url: string;
    })
  | (OutcomeBase & {
      readonly kind: 'refused';
      readonly url: string;
      readonly error: RefusedAddressError;
    })
  | (OutcomeBase & { readonly kind: 'failed'; readonly url: string; readonly error: string });

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/**
 * Requests `start` and follows its redirects by hand, so every hop passes the address guard
 * (inside `fetcher`) and `beforeHop`, is recorded in `chain`, and counts against
 * `maxRedirects`. Network failures become a `failed` outcome rather than an exception.
 *
 * @throws the job signal's reason when the job is aborted (never reported as `failed`).
 */
export async function fetchWithRedirects(
  fetcher: HttpFetcher,
  start: URL,
  options: RedirectFetchOptions,
): Promise<RedirectFetchOutcome> {
  const chain: RedirectHop[] = [];
  let timeMs = 0;
  let current = start;
  for (;;) {
    let response: FetchedResponse;
    try {
      response = await fetcher.fetchOnce(current, options);
    } catch (err) {
      if (fetcher.aborted) throw err;
      if (err instanceof RefusedAddressError) {
        return { kind: 'refused', url: current.href, error: err, chain, timeMs };
      }
      return { kind: 'failed', url: current.href, error: describeFetchError(err), chain, timeMs };
    }
    timeMs += response.timeMs;
    if (!REDIRECT_STATUSES.has(response.status)) {
      return { kind: 'response', response, chain, timeMs };
    }
    chain.push({ url: response.url, status: response.status });
    const location = firstHeader(response.headers.location);
    let next: URL | null = null;
    try {
      next = location ? new URL(location, current) : null;
    } catch {
      next = null;
    }
    if (!next || (next.protocol !== 'http:' && next.protocol !== 'https:')) {
      const error = location
        ? `redirect to an unusable location: ${location}`
        : `redirect (${response.status}) without a Location header`;
      return { kind: 'failed', url: current.href, error, chain, timeMs };
    }
    next.hash = '';
    if (chain.length > options.maxRedirects) {
      const error = `too many redirects (more than ${options.maxRedirects})`;
      return { kind: 'failed', url: next.href, error, chain, timeMs };
    }
    const verdict = options.beforeHop ? await options.beforeHop(next) : 'follow';
    if (verdict !== 'follow') {
      return { kind: 'stopped', reason: verdict, url: next.href, chain, timeMs };
    }
    current = next;
  }
}

function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
