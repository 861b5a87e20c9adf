import { withTokenRefresh } from '@jobs/worker-kit';
import type { MailboxRef } from '../mailbox-ref';
import { ProviderAuthError } from '../providers/provider-auth-error';
import { type AccessTokenProvider } from './access-token-provider';
import { MailboxNotConnectedError } from './mailbox-not-connected-error';

/**
 * Runs `call` with the mailbox's access token. When the provider refuses it (ProviderAuthError,
 * i.e. HTTP 401) asks `tokens` for a fresh one once and tries again (the kit's
 * withTokenRefresh); a second refusal means the grant itself is gone.
 *
 * @throws MailboxNotConnectedError when the fresh token is refused too (names the mailbox).
 */
export function withAccessToken<T>(
  tokens: AccessTokenProvider,
  mailbox: MailboxRef,
  call: (accessToken: string) => Promise<T>,
  signal?: AbortSignal,
): Promise<T> {
  return withTokenRefresh(
    {
      getToken: (forceRefresh) => tokens.getAccessToken(mailbox, { forceRefresh, signal }),
      isRefusal: (err) => err instanceof ProviderAuthError,
      refusedAgain: (err) =>
        new MailboxNotConnectedError(
          `${mailbox.provider === 'gmail' ? 'Gmail' : 'Microsoft Graph'} refused a freshly issued access token for account ${mailbox.accountId} (HTTP 401): the user must reconnect the mailbox`,
          { cause: err },
        ),
    },
    call,
  );
}
