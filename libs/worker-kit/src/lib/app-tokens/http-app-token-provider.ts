import { z } from 'zod';
import { AppTokenCache } from './app-token-cache';
import type { AppTokenGrant, AppTokenRef } from './app-token-grant';
import type { AppTokenServiceOptions } from './app-token-service-options';
import { postToAppTokenService } from './post-to-app-token-service';

// Extra fields are kept (in `fields`) so each worker reads its own extras; what every caller
// relies on is checked here.
const tokenAnswerSchema = z.looseObject({
  accessToken: z.string().min(1),
  /** ISO-8601; when absent the token is used until the provider refuses it. */
  expiresAt: z.iso.datetime({ offset: true }).optional(),
});

/** Options of {@link HttpAppTokenProvider}. */
export interface HttpAppTokenProviderOptions extends AppTokenServiceOptions {
  /** A cached grant is reused until this many ms before it expires; default 60000. */
  readonly expiryMarginMs?: number;
  /**
   * The error thrown when the app has no usable grant (HTTP 404 or 409): the worker's own
   * "reconnect" error, e.g. the email worker's MailboxNotConnectedError or a PermanentJobError.
   */
  readonly notConnected: (ref: AppTokenRef, status: number) => Error;
}

/**
 * Asks the web app's token endpoint for access tokens over HTTP and caches each grant (per
 * provider and account) until shortly before it expires.
 *
 * Request: `POST <url>` with `Authorization: Bearer <secret>` and JSON
 * `{ userId, accountId, provider, forceRefresh }`. Answers: 200 `{ accessToken, expiresAt?, …extras }`;
 * 404 or 409 → `options.notConnected(ref, status)` is thrown; 401/403 → Error naming
 * `secretVariable`; anything else, or a 200 without a usable `accessToken` → Error (transient).
 */
export class HttpAppTokenProvider {
  private readonly cache: AppTokenCache;

  constructor(private readonly options: HttpAppTokenProviderOptions) {
    this.cache = new AppTokenCache(options.expiryMarginMs ?? 60_000);
  }

  /**
   * The grant for `ref`: the cached one unless `forceRefresh` (the provider just refused the
   * last token with 401) or it is about to expire.
   */
  async getGrant(ref: AppTokenRef, options: { forceRefresh: boolean; signal?: AbortSignal }): Promise<AppTokenGrant> {
    const key = `${ref.provider}:${ref.userId}:${ref.accountId}`;
    if (!options.forceRefresh) {
      const cached = this.cache.get(key);
      if (cached) return cached;
    }
    this.cache.delete(key);

    const body = { userId: ref.userId, accountId: ref.accountId, provider: ref.provider, forceRefresh: options.forceRefresh };
    const response = await postToAppTokenService(this.options, body, options.signal);
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
    const grant: AppTokenGrant = {
      accessToken: parsed.data.accessToken,
      expiresAtMs: parsed.data.expiresAt ? Date.parse(parsed.data.expiresAt) : Number.POSITIVE_INFINITY,
      fields: parsed.data,
    };
    this.cache.set(key, grant);
    return grant;
  }

  /** The access token of {@link getGrant}'s grant. */
  async getAccessToken(ref: AppTokenRef, options: { forceRefresh: boolean; signal?: AbortSignal }): Promise<string> {
    return (await this.getGrant(ref, options)).accessToken;
  }
}
