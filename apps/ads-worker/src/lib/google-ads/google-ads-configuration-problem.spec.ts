import { Redis } from 'ioredis';
import { deletePrefix, startFakeGoogleAdsServer, testRedisUrl, uniquePrefix, type FakeGoogleAdsServer, type FakeGoogleAdsServerOptions } from '@jobs/test-support';
import { PermanentJobError, RetryLaterError } from '@jobs/worker-kit';
import type { AdAccountCredentials } from '../ad-account-credentials';
import type { AdsPlatformClient, AdsRequestContext } from '../ads-data';
import { createGoogleAdsClient } from './google-ads-client';
import { googleAdsConfigurationProblem } from './google-ads-configuration-problem';
import type { GoogleAdsFailure } from './google-ads-failure';

const failure = (...errorCodes: string[]): GoogleAdsFailure => ({ httpStatus: 403, status: 'PERMISSION_DENIED', errorCodes, retryDelayMs: null, rateScope: null, message: 'm', requestId: null });

describe('googleAdsConfigurationProblem', () => {
  it("names GOOGLE_ADS_DEVELOPER_TOKEN for the developer token's codes", () => {
    for (const code of ['authenticationError.DEVELOPER_TOKEN_INVALID', 'authorizationError.DEVELOPER_TOKEN_NOT_APPROVED', 'authorizationError.DEVELOPER_TOKEN_PROHIBITED', 'authorizationError.DEVELOPER_TOKEN_NOT_ON_ALLOWLIST', 'authenticationError.ORGANIZATION_NOT_ASSOCIATED_WITH_DEVELOPER_TOKEN']) {
      expect(googleAdsConfigurationProblem(failure(code))).toMatch(/worker's configuration.*GOOGLE_ADS_DEVELOPER_TOKEN.*user need not reconnect/);
    }
  });

  it("names the Cloud project for the project's codes", () => {
    for (const code of ['CLOUD_PROJECT_NOT_APPROVED_FOR_PRODUCTION', 'CLOUD_PROJECT_NOT_UNDER_ORGANIZATION', 'PROJECT_DISABLED', 'MISSING_TOS']) {
      expect(googleAdsConfigurationProblem(failure(`authorizationError.${code}`))).toMatch(/worker's configuration.*Google Cloud project/);
    }
  });

  it("leaves the user's and the account's errors alone", () => {
    for (const code of ['authorizationError.USER_PERMISSION_DENIED', 'authorizationError.CUSTOMER_NOT_ENABLED', 'authenticationError.OAUTH_TOKEN_EXPIRED', 'quotaError.RESOURCE_TEMPORARILY_EXHAUSTED']) {
      expect(googleAdsConfigurationProblem(failure(code))).toBeNull();
    }
    expect(googleAdsConfigurationProblem(failure())).toBeNull();
  });
});

describe('createGoogleAdsClient: the worker’s own configuration refused (fake Google Ads server)', () => {
  const url = testRedisUrl();
  let prefix: string;
  let server: FakeGoogleAdsServer | undefined;
  const connections: Redis[] = [];
  const grants: boolean[] = [];
  const credentials: AdAccountCredentials = {
    async getGrant(_platform, _userId, _accountId, opts) {
      grants.push(opts.forceRefresh);
      return { accessToken: 'made-up-token', platformAccountId: '1234567890', loginCustomerId: null };
    },
  };
  const ctx: AdsRequestContext = { userId: 'user_123', accountId: 'acc_456', signal: new AbortController().signal };

  beforeEach(() => {
    prefix = uniquePrefix('google-ads-config');
    grants.length = 0;
  });
  afterEach(async () => {
    await server?.close();
    server = undefined;
    for (const c of connections.splice(0)) c.disconnect();
    await deletePrefix(url, prefix);
  });

  async function client(serverOptions: FakeGoogleAdsServerOptions, developerToken: string | null): Promise<AdsPlatformClient> {
    server = await startFakeGoogleAdsServer(serverOptions);
    const redis = new Redis(url);
    connections.push(redis);
    return createGoogleAdsClient({
      credentials,
      redis,
      keyPrefix: `${prefix}:ads-worker`,
      config: { apiUrl: server.url, apiVersion: 'v26', developerToken, loginCustomerId: null, requestsPerSecond: 50, maxInProcessWaitMs: 60_000 },
    });
  }

  async function failureOf(promise: Promise<unknown>): Promise<Error> {
    const err = await promise.then(
      () => new Error('expected a failure'),
      (e: unknown) => e as Error,
    );
    return err;
  }

  it('a wrong GOOGLE_ADS_DEVELOPER_TOKEN: no token refresh, a transient Error naming the variable, not blamed on the user', async () => {
    const c = await client({ developerToken: 'made-up-right-token' }, 'made-up-wrong-token');
    const err = await failureOf(c.getAccount(ctx));
    expect(err).not.toBeInstanceOf(PermanentJobError);
    expect(err).not.toBeInstanceOf(RetryLaterError);
    expect(err.message).toMatch(/GOOGLE_ADS_DEVELOPER_TOKEN/);
    expect(err.message).toMatch(/authenticationError\.DEVELOPER_TOKEN_INVALID/);
    expect(err.message).toMatch(/worker's configuration/);
    expect(err.message).not.toMatch(/must reconnect/);
    expect(err.message).not.toContain('made-up');
    expect(grants).toEqual([false]);
    expect(server!.requests.map((r) => r.status)).toEqual([401]);
  });

  it('a Cloud project approved for test accounts only: a transient Error naming the project, no refresh', async () => {
    const c = await client({ faults: [{ count: 1, status: 403 }] }, null);
    const err = await failureOf(c.listCampaigns(ctx));
    expect(err).not.toBeInstanceOf(PermanentJobError);
    expect(err.message).toMatch(/CLOUD_PROJECT_NOT_APPROVED_FOR_PRODUCTION.*Google Cloud project/);
    expect(grants).toEqual([false]);
    expect(server!.requests.map((r) => r.status)).toEqual([403]);
  });

  it('a developer token only approved for test accounts (403 DEVELOPER_TOKEN_NOT_APPROVED): the same', async () => {
    const c = await client({ faults: [{ count: 1, status: 403, authorizationError: 'DEVELOPER_TOKEN_NOT_APPROVED' }] }, 'made-up-token');
    const err = await failureOf(c.getAccount(ctx));
    expect(err).not.toBeInstanceOf(PermanentJobError);
    expect(err.message).toMatch(/GOOGLE_ADS_DEVELOPER_TOKEN/);
  });
});
