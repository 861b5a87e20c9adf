import { z } from 'zod';
import { AppTokenCache, type AppTokenCacheOptions } from './app-token-cache';
import type { AppTokenGrant, AppTokenRef } from './app-token-grant';
import type { AppTokenServiceOptions } from './app-token-service-options';
import { postToAppTokenService } from './post-to-app-token-service';

// Extra fields are kept (in `fields`) so each worker reads its own extras; what every caller
// relies on is checked here.
const tokenAnswerSchema = z.looseObject({
  accessToken: z.string().min(1),
  /** ISO-8601; when absent the token is used until the provider refuses it or the cache's max age (50 min) passes. */
  expiresAt: z.iso.datetime({ offset: true }).optional(),
});

/** Options of {@link HttpAppTokenProvider}. */
export interface HttpAppTokenProviderOptions extends AppTokenServiceOptions {
  /** A cached grant is reused until this many ms before it expires; default 60000. */
  readonly expiryMarginMs?: number;
  /** The cache's bounds (see {@link AppTokenCacheOptions}): default 10 000 grants, 50 min for a grant without `expiresAt`. */
  readonly cache?: Omit<AppTokenCacheOptions, 'marginMs'>;
  /**
   * The error thrown when the app has no usable grant (HTTP 404 or 409): the worker's own
   * "reconnect" error, e.g. the email worker's MailboxNotConnectedError or a PermanentJobError.
   */
  readonly notConnected: (ref: AppTokenRef, status: number) => Error;
}

interface InFlight {
  readonly forceRefresh: boolean;
  readonly grant: Promise<AppTokenGrant>;
}

/**
 * Asks the web app's token endpoint for access tokens over HTTP and caches each grant (per
 * provider, user and account) until shortly before it expires, in an {@link AppTokenCache}
 * (bounded: 10 000 grants by default, least recently used forgotten first; a grant without
 * `expiresAt` is asked for again after 50 min).
 *
 * Concurrent requests for the same grant share one request to the endpoint: a request merges
 * with any in flight for that key, except that a `forceRefresh` one merges only with another
 * `forceRefresh` (a request started before the provider refused the token may bring back the
 * same token). The shared request is bounded by `timeoutMs`, not by a caller's signal: a caller
 * whose signal aborts stops waiting (the signal's reason is thrown) without failing the others.
 *
 * Request: `POST <url>` with `Authorization: Bearer <secret>` and JSON
 * `{ userId, accountId, provider, forceRefresh }`. Answers: 200 `{ accessToken, expiresAt?, …extras }`;
 * 404 or 409 → `options.notConnected(ref, status)` is thrown; 401/403 → Error naming
 * `secretVariable`; 429 or 503 with `Retry-After` → `RetryLaterError` (the job waits that long,
 * 1 s to 15 min, without using an attempt; see `postToAppTokenService`); anything else (429/503
 * without a readable `Retry-After` included), or a 200 without a usable `accessToken` → Error
 * (transient: a failed attempt, retried with the job's backoff).
 */
export class HttpAppTokenProvider {
  private readonly cache: AppTokenCache;
  private readonly inFlight = new Map<string, InFlight>();

  /** @throws RangeError from {@link AppTokenCache} on bad cache bounds. */
  constructor(private readonly options: HttpAppTokenProviderOptions) {
    this.cache = new AppTokenCache({ ...options.cache, marginMs: options.expiryMarginMs ?? 60_000 });
  }

  /**
   * The grant for `ref`: the cached one unless `forceRefresh` (the provider just refused the
   * last token with 401) or it is about to expire; else the answer of a request in flight for
   * it, or of a new one.
   * @throws as described on the class; the signal's reason when `signal` aborts.
   */
  async getGrant(ref: AppTokenRef, options: { forceRefresh: boolean; signal?: AbortSignal }): Promise<AppTokenGrant> {
    options.signal?.throwIfAborted();
    const key = JSON.stringify([ref.provider, ref.userId, ref.accountId]);
    if (!options.forceRefresh) {
      const cached = this.cache.get(key);
      if (cached) return cached;
    }
    const pending = this.inFlight.get(key);
    if (pending && (pending.forceRefresh || !options.forceRefresh)) return untilAborted(pending.grant, options.signal);

    this.cache.delete(key);
    const entry: InFlight = {
      forceRefresh: options.forceRefresh,
      grant: this.request(ref, options.forceRefresh).then((grant) => {
        // A forced request started meanwhile owns the key: its grant is the newer one.
        if (this.inFlight.get(key) === entry) this.cache.set(key, grant);
        return grant;
      }),
    };
    this.inFlight.set(key, entry);
    const forget = () => {
      if (this.inFlight.get(key) === entry) this.inFlight.delete(key);
    };
    entry.grant.then(forget, forget);
    return untilAborted(entry.grant, options.signal);
  }

  /** The access token of {@link getGrant}'s grant. */
  async getAccessToken(ref: AppTokenRef, options: { forceRefresh: boolean; signal?: AbortSignal }): Promise<string> {
    return (await this.getGrant(ref, options)).accessToken;
  }

  private async request(ref: AppTokenRef, forceRefresh: boolean): Promise<AppTokenGrant> {
    const body = { userId: ref.userId, accountId: ref.accountId, provider: ref.provider, forceRefresh };
    const response = await postToAppTokenService(this.options, body);
    if (response.status === 404 || response.status === 409) {
      await response.body?.cancel();
      throw this.options.notConnected(ref, response.status);
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new Error(`The token service answered HTTP ${response.status}`);
    }
    let answer: unknown;
    try {
      answer = await response.json();
    } catch (err) {
      throw new Error('The token service answered with something that is not JSON', { cause: err });
    }
    const parsed = tokenAnswerSchema.safeParse(answer);
    if (!parsed.success) throw new Error('The token service answered without a usable accessToken');
    return {
      accessToken: parsed.data.accessToken,
      expiresAtMs: parsed.data.expiresAt ? Date.parse(parsed.data.expiresAt) : Number.POSITIVE_INFINITY,
      fields: parsed.data,
    };
  }
}

/** `promise`, or the signal's reason as soon as `signal` aborts (the promise keeps running). */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  signal.throwIfAborted();
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      },
    );
  });
}
