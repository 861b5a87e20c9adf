import { ConfigError } from '@jobs/worker-kit';
import { loadConfig } from '../../config';
import { metaAdsClientConfigFromEnv } from './meta-ads-client';
import { metaEnvSchema } from './meta-env-schema';

describe('metaEnvSchema', () => {
  it('gives the documented defaults', () => {
    expect(metaEnvSchema.parse({})).toMatchObject({ META_SLOW_DOWN_AT_PCT: 75, META_PAUSE_AT_PCT: 95, META_ASYNC_REPORT_MIN_DAYS: 90, META_PAGE_SIZE: 500 });
  });

  it.each([
    ['95', '90'],
    ['80', '80'],
  ])('refuses META_SLOW_DOWN_AT_PCT=%s with META_PAUSE_AT_PCT=%s, naming the slow-down variable', (slow, pause) => {
    const parsed = metaEnvSchema.safeParse({ META_SLOW_DOWN_AT_PCT: slow, META_PAUSE_AT_PCT: pause });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]).toMatchObject({ path: ['META_SLOW_DOWN_AT_PCT'], message: expect.stringMatching(/below META_PAUSE_AT_PCT/) });
  });

  it('the client config refuses the same even from a schema that dropped the refinement', () => {
    const env = { ...metaEnvSchema.parse({}), META_SLOW_DOWN_AT_PCT: 96 };
    expect(() => metaAdsClientConfigFromEnv(env, 60_000)).toThrow(ConfigError);
    expect(metaAdsClientConfigFromEnv({ ...env, META_SLOW_DOWN_AT_PCT: 94 }, 60_000)).toMatchObject({ slowDownAtPct: 94, pauseAtPct: 95 });
  });

  it("the app's loadConfig refuses it with a ConfigError naming META_SLOW_DOWN_AT_PCT", () => {
    const env = { ADS_TOKEN_URL: 'https://app.example/internal/ads-tokens', ADS_TOKEN_SECRET: 'made-up-secret', META_SLOW_DOWN_AT_PCT: '95', META_PAUSE_AT_PCT: '90' };
    let err: unknown;
    try {
      loadConfig(env);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).problems).toEqual([expect.objectContaining({ variable: 'META_SLOW_DOWN_AT_PCT', kind: 'invalid' })]);
    expect((err as Error).message).not.toContain('made-up-secret');
  });
});
