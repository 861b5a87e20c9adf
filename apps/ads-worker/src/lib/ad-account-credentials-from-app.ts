import type { AdPlatform } from '@jobs/queue-contracts';
import { HttpAppTokenProvider, PermanentJobError } from '@jobs/worker-kit';
import type { AdAccountCredentials, AdAccountGrant } from './ad-account-credentials';

/** The `provider` the token request names for each platform. */
export const AD_TOKEN_PROVIDERS: Readonly<Record<AdPlatform, string>> = Object.freeze({ google: 'google-ads', meta: 'meta' });

/** Options of {@link AppAdAccountCredentials}: the ads worker's token endpoint. */
export interface AppAdAccountCredentialsOptions {
  /** `ADS_TOKEN_URL`. */
  readonly url: string;
  /** `ADS_TOKEN_SECRET`, sent as `Authorization: Bearer <secret>`. */
  readonly secret: string;
  /** Per request (ms); default 10000. */
  readonly timeoutMs?: number;
}

const GOOGLE_ID = /^\d{10}$/;
const META_ID = /^act_\d{1,30}$/;

/**
 * The platform's id for `id`, or null when it is not one. Google: a customer id with or
 * without dashes (`123-456-7890`) → its 10 digits. Meta: `act_<digits>`, or bare digits →
 * `act_<digits>` (how the Marketing API names an ad account node).
 */
export function platformAccountIdOf(platform: AdPlatform, id: string): string | null {
  if (platform === 'google') {
    const digits = id.replaceAll('-', '');
    return GOOGLE_ID.test(digits) ? digits : null;
  }
  const node = /^\d+$/.test(id) ? `act_${id}` : id;
  return META_ID.test(node) ? node : null;
}

/**
 * Ad account grants from the web app's token endpoint, through the kit's HttpAppTokenProvider
 * (cached per account until shortly before `expiresAt`).
 *
 * Request: `POST ADS_TOKEN_URL` with `Authorization: Bearer ADS_TOKEN_SECRET` and JSON
 * `{ userId, accountId, provider: 'google-ads' | 'meta', forceRefresh }`.
 * Answer: 200 `{ accessToken, expiresAt?, platformAccountId?, loginCustomerId? }`. The job's
 * `accountId` may be the app's own id of the connected account (the seed sends `acc_456`); the
 * app then says which platform account it is in `platformAccountId`. Without it the job's
 * `accountId` is taken as the platform's id (see {@link platformAccountIdOf}).
 *
 * @throws PermanentJobError on 404/409 (not connected: the user must reconnect the ad account),
 *   or when neither `platformAccountId` nor `accountId` is a usable platform id (naming
 *   `accountId`); RetryLaterError on 429/503 with `Retry-After` (the job waits, no attempt
 *   used); Error (transient) otherwise, or naming `ADS_TOKEN_SECRET` on 401/403.
 */
export class AppAdAccountCredentials implements AdAccountCredentials {
  private readonly app: HttpAppTokenProvider;

  constructor(options: AppAdAccountCredentialsOptions) {
    this.app = new HttpAppTokenProvider({
      url: options.url,
      secret: options.secret,
      timeoutMs: options.timeoutMs,
      secretVariable: 'ADS_TOKEN_SECRET',
      notConnected: (ref, status) =>
        new PermanentJobError(
          `The token service has no usable grant for ${ref.provider} account ${ref.accountId} of user ${ref.userId} (HTTP ${status}): the user must reconnect the ad account`,
        ),
    });
  }

  async getGrant(platform: AdPlatform, userId: string, accountId: string, opts: { forceRefresh: boolean; signal?: AbortSignal }): Promise<AdAccountGrant> {
    const grant = await this.app.getGrant({ userId, accountId, provider: AD_TOKEN_PROVIDERS[platform] }, opts);
    const fromApp = grant.fields['platformAccountId'];
    let platformAccountId: string | null;
    if (typeof fromApp === 'string' && fromApp !== '') {
      platformAccountId = platformAccountIdOf(platform, fromApp);
      if (!platformAccountId) {
        throw new PermanentJobError(`The token service named platformAccountId "${fromApp}" for accountId ${accountId}, which is not a ${describeId(platform)}`);
      }
    } else {
      platformAccountId = platformAccountIdOf(platform, accountId);
      if (!platformAccountId) {
        throw new PermanentJobError(
          `accountId "${accountId}" is not a ${describeId(platform)}, and the token service named no platformAccountId for it`,
        );
      }
    }
    const login = grant.fields['loginCustomerId'];
    const loginCustomerId = platform === 'google' && typeof login === 'string' ? platformAccountIdOf('google', login) : null;
    return { accessToken: grant.accessToken, platformAccountId, loginCustomerId };
  }
}

function describeId(platform: AdPlatform): string {
  return platform === 'google' ? 'Google Ads customer id (10 digits, dashes allowed)' : 'Meta ad account id (act_<digits>)';
}
