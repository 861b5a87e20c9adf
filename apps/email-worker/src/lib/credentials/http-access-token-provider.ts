import { z } from 'zod';
import type { MailboxRef } from '../mailbox-ref';
import { mailboxKey } from '../mailbox-ref';
import { MailboxNotConnectedError, type AccessTokenProvider } from './access-token-provider';

const tokenResponseSchema = z.object({
  accessToken: z.string().min(1),
  /** ISO-8601; when absent the token is used until the provider refuses it. */
  expiresAt: z.string().datetime({ offset: true }).optional(),
});

/** Options of {@link HttpAccessTokenProvider}. */
export interface HttpAccessTokenProviderOptions {
  /** The app's token endpoint, e.g. `https://app.internal/internal/mail-tokens`. */
  readonly url: string;
  /** Shared secret sent as `Authorization: Bearer <secret>`. */
  readonly secret: string;
  /** Per request (ms); default 10000. */
  readonly timeoutMs?: number;
  /** A cached token is reused until this many ms before it expires; default 60000. */
  readonly expiryMarginMs?: number;
}

/**
 * Asks the web app for access tokens over HTTP and caches them until shortly before expiry.
 *
 * Request: `POST <url>` with JSON `{ userId, accountId, provider, forceRefresh }` and
 * `Authorization: Bearer <secret>`. Answers: 200 `{ accessToken, expiresAt? }`; 404 or 409 → the
 * mailbox is not connected (MailboxNotConnectedError); anything else → Error (transient).
 */
export class HttpAccessTokenProvider implements AccessTokenProvider {
  private readonly cache = new Map<string, { token: string; expiresAtMs: number }>();

  constructor(private readonly options: HttpAccessTokenProviderOptions) {}

  async getAccessToken(mailbox: MailboxRef, options: { forceRefresh: boolean; signal?: AbortSignal }): Promise<string> {
    const key = mailboxKey(mailbox);
    const cached = this.cache.get(key);
    const margin = this.options.expiryMarginMs ?? 60_000;
    if (!options.forceRefresh && cached && cached.expiresAtMs - margin > Date.now()) return cached.token;
    this.cache.delete(key);

    const timeout = AbortSignal.timeout(this.options.timeoutMs ?? 10_000);
    let response: Response;
    try {
      response = await fetch(this.options.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${this.options.secret}` },
        body: JSON.stringify({ ...mailbox, forceRefresh: options.forceRefresh }),
        signal: options.signal ? AbortSignal.any([options.signal, timeout]) : timeout,
      });
    } catch (err) {
      throw new Error(`The token service at ${new URL(this.options.url).origin} did not answer: ${err instanceof Error ? err.message : String(err)}`, {
        cause: err,
      });
    }
    if (response.status === 401 || response.status === 403) {
      throw new Error(`The token service refused the worker's shared secret (HTTP ${response.status}): check EMAIL_TOKEN_SECRET`);
    }
    if (response.status === 404 || response.status === 409) {
      throw new MailboxNotConnectedError(
        `The token service has no usable grant for ${mailbox.provider} account ${mailbox.accountId} (HTTP ${response.status}): the user must reconnect the mailbox`,
      );
    }
    if (!response.ok) throw new Error(`The token service answered HTTP ${response.status}`);
    const parsed = tokenResponseSchema.safeParse(await response.json());
    if (!parsed.success) throw new Error('The token service answered without a usable accessToken');
    const expiresAtMs = parsed.data.expiresAt ? Date.parse(parsed.data.expiresAt) : Number.POSITIVE_INFINITY;
    this.cache.set(key, { token: parsed.data.accessToken, expiresAtMs });
    return parsed.data.accessToken;
  }
}
