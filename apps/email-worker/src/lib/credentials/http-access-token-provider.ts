import { z } from 'zod';
import type { MailboxRef } from '../mailbox-ref';
import { mailboxKey } from '../mailbox-ref';
import { type AccessTokenProvider } from './access-token-provider';
import { MailboxNotConnectedError } from './mailbox-not-connected-error';
import { postToTokenService, type TokenServiceOptions } from './post-to-token-service';

const tokenResponseSchema = z.object({
  accessToken: z.string().min(1),
  /** ISO-8601; when absent the token is used until the provider refuses it. */
  expiresAt: z.string().datetime({ offset: true }).optional(),
});

/** Options of {@link HttpAccessTokenProvider}. */
export interface HttpAccessTokenProviderOptions extends TokenServiceOptions {
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

    const response = await postToTokenService(this.options, { ...mailbox, forceRefresh: options.forceRefresh }, options.signal);
    if (response.status === 404 || response.status === 409) {
      await response.body?.cancel();
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
