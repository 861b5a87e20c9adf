import { z } from 'zod';
import { emailProviderSchema } from '@jobs/queue-contracts';
import { postToAppTokenService } from '@jobs/worker-kit';
import type { MailboxRef } from '../mailbox-ref';
import type { MailboxDirectory } from './mailbox-directory';
import { emailTokenService, type EmailTokenServiceOptions } from './email-token-service-options';

/** The `purpose` that tells the token endpoint this is a mailbox list, not a token request. */
export const LIST_MAILBOXES_PURPOSE = 'list-mailboxes';

// Extra fields in the app's answer (an address, a display name) are allowed and ignored, so the
// app can add to it without breaking workers; what the worker relies on is checked.
const mailboxListSchema = z.object({
  mailboxes: z.array(z.object({ accountId: z.string().min(1).max(200), provider: z.string().min(1).max(100) })).max(1000),
});

/**
 * Asks the web app which mailboxes a user has connected, on the same endpoint and with the same
 * secret as access tokens (HttpAccessTokenProvider), so the app has one internal endpoint to
 * serve and the worker one URL and secret to configure.
 *
 * Request: `POST <url>` with `Authorization: Bearer <secret>` and JSON
 * `{ purpose: 'list-mailboxes', userId }` (a token request has no `purpose`).
 * Answers: 200 `{ mailboxes: [{ accountId, provider: 'gmail' | 'outlook' }, …] }` (at most
 * 1000; other fields ignored; mailboxes of other providers skipped); 404 → the user has none;
 * 401/403 → Error saying to check `EMAIL_TOKEN_SECRET`; 429/503 with `Retry-After` →
 * RetryLaterError (from `postToAppTokenService`: the job waits, no attempt used); anything else,
 * or an answer of another shape → Error (transient). Not cached: a mailbox connected a moment ago counts.
 */
export class HttpMailboxDirectory implements MailboxDirectory {
  constructor(private readonly options: EmailTokenServiceOptions) {}

  async listMailboxes(userId: string, signal?: AbortSignal): Promise<MailboxRef[]> {
    const response = await postToAppTokenService(emailTokenService(this.options), { purpose: LIST_MAILBOXES_PURPOSE, userId }, signal);
    if (response.status === 404) {
      await response.body?.cancel();
      return [];
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new Error(`The token service answered HTTP ${response.status} to the list of user ${userId}'s mailboxes`);
    }
    let body: unknown;
    try {
      body = await response.json();
    } catch (err) {
      throw new Error(`The token service answered the list of user ${userId}'s mailboxes with something that is not JSON`, { cause: err });
    }
    const parsed = mailboxListSchema.safeParse(body);
    if (!parsed.success) {
      throw new Error(`The token service answered the list of user ${userId}'s mailboxes without a usable { mailboxes: [{ accountId, provider }] }`);
    }
    return parsed.data.mailboxes.flatMap(({ accountId, provider }) => {
      const known = emailProviderSchema.safeParse(provider);
      return known.success ? [{ userId, accountId, provider: known.data }] : [];
    });
  }
}
