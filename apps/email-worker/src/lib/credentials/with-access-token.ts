import type { MailboxRef } from '../mailbox-ref';
import { ProviderAuthError } from '../providers/provider-auth-error';
import { type AccessTokenProvider } from './access-token-provider';
import { MailboxNotConnectedError } from './mailbox-not-connected-error';

/**
 * Runs `call` with the mailbox's access token. When the provider refuses it (ProviderAuthError,
 * i.e. HTTP 401) asks `tokens` for a fresh one once and tries again; a second refusal means the
 * grant itself is gone.
 *
 * @throws MailboxNotConnectedError when the fresh token is refused too (names the mailbox).
 */
export async function withAccessToken<T>(
  tokens: AccessTokenProvider,
  mailbox: MailboxRef,
  call: (accessToken: string) => Promise<T>,
  signal?: AbortSignal,
): Promise<T> {
  const first = await tokens.getAccessToken(mailbox, { forceRefresh: false, signal });
  try {
    return await call(first);
  } catch (err) {
    if (!(err instanceof ProviderAuthError)) throw err;
  }
  const fresh = await tokens.getAccessToken(mailbox, { forceRefresh: true, signal });
  try {
    return await call(fresh);
  } catch (err) {
    if (err instanceof ProviderAuthError) {
      throw new MailboxNotConnectedError(
        `${mailbox.provider === 'gmail' ? 'Gmail' : 'Microsoft Graph'} refused a freshly issued access token for account ${mailbox.accountId} (HTTP 401): the user must reconnect the mailbox`,
        { cause: err },
      );
    }
    throw err;
  }
}
