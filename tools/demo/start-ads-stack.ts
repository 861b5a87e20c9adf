import { randomBytes } from 'node:crypto';
import {
  startFakeGoogleAdsServer,
  startFakeMetaGraphServer,
  startFakeTokenService,
  type FakeGoogleAdsServer,
  type FakeMetaGraphServer,
  type FakeTokenService,
  type WorkerProcess,
} from '@jobs/test-support';
import { startDemoWorker, type DemoContext } from './demo-context';

/** The app's ids of the demo's two connected ad accounts, and the platform accounts they stand for. */
export const DEMO_AD_ACCOUNTS = Object.freeze({
  /** The seed README's account id, connected to the synthetic Google account with faults. */
  google: { appAccountId: 'acc_456', platformAccountId: '1234567890' },
  /** A Meta account connected in the app, the synthetic Meta account with faults. */
  meta: { appAccountId: 'acc_789', platformAccountId: 'act_1234567890' },
});

/**
 * The day the demo takes as today: the worker's `ADS_AS_OF_DATE` and the fake Meta server's
 * `today`. The synthetic accounts hold 2023–2024 and Meta answers only the last 37 months, so
 * with the real date the demo's January 2024 would be refused from 2027 on.
 */
export const DEMO_AS_OF_DATE = '2025-06-30';

/** The ads worker of a demo run and the local servers it calls. */
export interface AdsStack {
  readonly worker: WorkerProcess;
  readonly tokens: FakeTokenService;
  readonly google: FakeGoogleAdsServer;
  readonly meta: FakeMetaGraphServer;
}

/**
 * The ads worker as its own process against local servers that speak the Google Ads API
 * (`googleAds:searchStream`) and Meta's Graph API (Marketing API insights), both serving the
 * synthetic accounts, and a local stand-in for the web app's token endpoint that maps the app's
 * account ids to the platforms' (see {@link DEMO_AD_ACCOUNTS}). Tokens and secrets are made up
 * per run. Worker and Meta server take {@link DEMO_AS_OF_DATE} as today.
 * @throws Error when the worker does not start within 30 s.
 */
export async function startAdsStack(ctx: DemoContext): Promise<AdsStack> {
  const secret = randomBytes(16).toString('hex');
  const developerToken = `dev-${randomBytes(8).toString('hex')}`;
  const googleToken = `ya29.demo-${randomBytes(8).toString('hex')}`;
  const metaToken = `EAAdemo${randomBytes(8).toString('hex')}`;
  const tokens = await startFakeTokenService(secret);
  ctx.onCleanup(() => tokens.close());
  tokens.setAdAccount(DEMO_AD_ACCOUNTS.google.appAccountId, { tokens: [googleToken], platformAccountId: DEMO_AD_ACCOUNTS.google.platformAccountId });
  tokens.setAdAccount(DEMO_AD_ACCOUNTS.meta.appAccountId, { tokens: [metaToken], platformAccountId: DEMO_AD_ACCOUNTS.meta.platformAccountId });
  const google = await startFakeGoogleAdsServer({ developerToken, accessTokens: { [googleToken]: '*' } });
  ctx.onCleanup(() => google.close());
  const meta = await startFakeMetaGraphServer({ today: DEMO_AS_OF_DATE, accessTokens: { [metaToken]: '*' } });
  ctx.onCleanup(() => meta.close());
  ctx.say(`local Google Ads API ${google.url} and Meta Graph API ${meta.url} (synthetic accounts with injected faults)`);
  const worker = await startDemoWorker(ctx, 'ads-worker', 'apps/ads-worker/src/main.ts', {
    ADS_TOKEN_URL: tokens.url,
    ADS_TOKEN_SECRET: secret,
    GOOGLE_ADS_API_URL: google.url,
    GOOGLE_ADS_DEVELOPER_TOKEN: developerToken,
    META_GRAPH_URL: meta.url,
    ADS_AS_OF_DATE: DEMO_AS_OF_DATE,
    SHUTDOWN_TIMEOUT_MS: '3000',
  });
  return { worker, tokens, google, meta };
}
