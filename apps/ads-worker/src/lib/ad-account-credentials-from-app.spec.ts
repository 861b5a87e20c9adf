import { startFakeTokenService, type FakeTokenService } from '@jobs/test-support';
import { PermanentJobError } from '@jobs/worker-kit';
import { AppAdAccountCredentials, platformAccountIdOf } from './ad-account-credentials-from-app';

const SECRET = 'made-up-ads-token-secret';
const NO_REFRESH = { forceRefresh: false };

describe('AppAdAccountCredentials (fake token service on loopback)', () => {
  let app: FakeTokenService;
  let credentials: AppAdAccountCredentials;
  beforeEach(async () => {
    app = await startFakeTokenService(SECRET);
    credentials = new AppAdAccountCredentials({ url: app.url, secret: SECRET });
  });
  afterEach(() => app.close());

  it("maps the app's account id to the platform's (the seed's acc_456 → a Google customer id)", async () => {
    app.setAdAccount('acc_456', { tokens: ['g-token'], platformAccountId: '123-456-7890', loginCustomerId: '111-222-3333' });
    await expect(credentials.getGrant('google', 'user_123', 'acc_456', NO_REFRESH)).resolves.toEqual({
      accessToken: 'g-token',
      platformAccountId: '1234567890',
      loginCustomerId: '1112223333',
    });
    expect(app.requests).toEqual([{ userId: 'user_123', accountId: 'acc_456', provider: 'google-ads', forceRefresh: false }]);
  });

  it("takes the job's accountId as the platform id when the app names none", async () => {
    app.setTokens('act_987', ['m-token']);
    app.setTokens('987-654-3210', ['g-token']);
    await expect(credentials.getGrant('meta', 'u', 'act_987', NO_REFRESH)).resolves.toEqual({ accessToken: 'm-token', platformAccountId: 'act_987', loginCustomerId: null });
    await expect(credentials.getGrant('google', 'u', '987-654-3210', NO_REFRESH)).resolves.toMatchObject({ platformAccountId: '9876543210', loginCustomerId: null });
    expect(app.requests.map((r) => r.provider)).toEqual(['meta', 'google-ads']);
  });

  it('refuses an accountId that is no platform id when the app names none, naming accountId', async () => {
    app.setTokens('acc_1', ['t']);
    const failure = await credentials.getGrant('google', 'u', 'acc_1', NO_REFRESH).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(PermanentJobError);
    expect((failure as Error).message).toMatch(/accountId "acc_1" is not a Google Ads customer id/);
  });

  it('fails permanently when the account is not connected', async () => {
    const failure = await credentials.getGrant('meta', 'u', 'act_1', NO_REFRESH).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(PermanentJobError);
    expect((failure as Error).message).toMatch(/the user must reconnect the ad account/);
  });

  it('asks for a fresh token on forceRefresh', async () => {
    app.setAdAccount('acc_2', { tokens: ['old', 'new'], platformAccountId: 'act_42' });
    await credentials.getGrant('meta', 'u', 'acc_2', NO_REFRESH);
    await expect(credentials.getGrant('meta', 'u', 'acc_2', NO_REFRESH)).resolves.toMatchObject({ accessToken: 'old' });
    await expect(credentials.getGrant('meta', 'u', 'acc_2', { forceRefresh: true })).resolves.toMatchObject({ accessToken: 'new' });
    expect(app.requests).toHaveLength(2);
  });
});

describe('platformAccountIdOf', () => {
  it.each([
    ['google', '1234567890', '1234567890'],
    ['google', '123-456-7890', '1234567890'],
    ['google', '12345', null],
    ['google', 'act_1234567890', null],
    ['meta', 'act_1234567890', 'act_1234567890'],
    ['meta', '1234567890', 'act_1234567890'],
    ['meta', 'act_12ab', null],
  ] as const)('%s %s → %s', (platform, id, expected) => {
    expect(platformAccountIdOf(platform, id)).toBe(expected);
  });
});
