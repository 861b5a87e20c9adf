import { HttpAppTokenProvider } from '@jobs/worker-kit';
import type { MailboxRef } from '../mailbox-ref';
import { type AccessTokenProvider } from './access-token-provider';
import { emailTokenService, type EmailTokenServiceOptions } from './email-token-service-options';
import { MailboxNotConnectedError } from './mailbox-not-connected-error';

/** Options of {@link HttpAccessTokenProvider}. */
export interface HttpAccessTokenProviderOptions extends EmailTokenServiceOptions {
  /** A cached token is reused until this many ms before it expires; default 60000. */
  readonly expiryMarginMs?: number;
}

/**
 * The mailboxes' access tokens from the web app's token endpoint, through the kit's
 * HttpAppTokenProvider (request `{ userId, accountId, provider, forceRefresh }`, answer
 * `{ accessToken, expiresAt? }`, cached until shortly before expiry).
 *
 * @throws MailboxNotConnectedError when the endpoint answers 404 or 409 for the mailbox;
 *   RetryLaterError on 429/503 with `Retry-After` (the job waits, no attempt used); Error
 *   (transient) for anything else that is not a token, or naming `EMAIL_TOKEN_SECRET` on 401/403.
 */
export class HttpAccessTokenProvider implements AccessTokenProvider {
  private readonly app: HttpAppTokenProvider;

  constructor(options: HttpAccessTokenProviderOptions) {
    this.app = new HttpAppTokenProvider({
      ...emailTokenService(options),
      expiryMarginMs: options.expiryMarginMs,
      notConnected: (ref, status) =>
        new MailboxNotConnectedError(
          `The token service has no usable grant for ${ref.provider} account ${ref.accountId} (HTTP ${status}): the user must reconnect the mailbox`,
        ),
    });
  }

  getAccessToken(mailbox: MailboxRef, options: { forceRefresh: boolean; signal?: AbortSignal }): Promise<string> {
    return this.app.getAccessToken(mailbox, options);
  }
}
