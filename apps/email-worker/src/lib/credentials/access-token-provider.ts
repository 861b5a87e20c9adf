import type { MailboxRef } from '../mailbox-ref';

/**
 * Where access tokens come from at run time (never from job data). The app owns the OAuth
 * refresh tokens; the worker only ever holds short-lived access tokens.
 */
export interface AccessTokenProvider {
  /**
   * An access token for the mailbox's provider API.
   * @param options.forceRefresh - the provider just refused the last token (401): return a fresh
   *   one, not a cached one.
   * @throws MailboxNotConnectedError when the mailbox has no usable grant (the user must
   *   reconnect it); anything else is treated as transient.
   */
  getAccessToken(mailbox: MailboxRef, options: { forceRefresh: boolean; signal?: AbortSignal }): Promise<string>;
}
