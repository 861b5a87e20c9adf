import { parseGoogleAdsFailure } from './google-ads-failure';

describe('parseGoogleAdsFailure', () => {
  const failure = (errors: unknown[]) => ({
    error: {
      code: 429,
      message: 'Resource has been exhausted (e.g. check quota).',
      status: 'RESOURCE_EXHAUSTED',
      details: [{ '@type': 'type.googleapis.com/google.ads.googleads.v26.errors.GoogleAdsFailure', errors, requestId: 'req-1' }],
    },
  });

  it('reads codes, the longest retryDelay and the request id, from { error } and [{ error }]', () => {
    const body = failure([
      { errorCode: { quotaError: 'RESOURCE_TEMPORARILY_EXHAUSTED' }, message: 'Too many requests. Retry in 30 seconds.', details: { quotaErrorDetails: { retryDelay: '30s' } } },
      { errorCode: { quotaError: 'RESOURCE_EXHAUSTED' }, message: 'Daily.', details: { quotaErrorDetails: { retryDelay: '1.5s' } } },
    ]);
    for (const answer of [body, [body]]) {
      expect(parseGoogleAdsFailure(429, answer)).toEqual({
        httpStatus: 429,
        status: 'RESOURCE_EXHAUSTED',
        errorCodes: ['quotaError.RESOURCE_TEMPORARILY_EXHAUSTED', 'quotaError.RESOURCE_EXHAUSTED'],
        retryDelayMs: 30_000,
        rateScope: null,
        message: 'Too many requests. Retry in 30 seconds.; Daily.',
        requestId: 'req-1',
      });
    }
  });

  it('names the rate scope: ACCOUNT only when every quota detail says so', () => {
    const detail = (rateScope: string) => ({ errorCode: { quotaError: 'RESOURCE_TEMPORARILY_EXHAUSTED' }, message: 'm', details: { quotaErrorDetails: { rateScope, rateName: 'r', retryDelay: '5s' } } });
    expect(parseGoogleAdsFailure(429, failure([detail('ACCOUNT')])).rateScope).toBe('ACCOUNT');
    expect(parseGoogleAdsFailure(429, failure([detail('DEVELOPER')])).rateScope).toBe('DEVELOPER');
    expect(parseGoogleAdsFailure(429, failure([detail('ACCOUNT'), detail('DEVELOPER')])).rateScope).toBe('DEVELOPER');
    expect(parseGoogleAdsFailure(429, failure([detail('ACCOUNT'), detail('UNKNOWN')])).rateScope).toBe('UNKNOWN');
  });

  it('falls back to the Status message, or the HTTP status for a body without one', () => {
    expect(parseGoogleAdsFailure(401, [{ error: { code: 401, message: 'Request had invalid authentication credentials.', status: 'UNAUTHENTICATED' } }])).toMatchObject({
      status: 'UNAUTHENTICATED',
      errorCodes: [],
      retryDelayMs: null,
      message: 'Request had invalid authentication credentials.',
    });
    expect(parseGoogleAdsFailure(502, '<html>Bad Gateway</html>')).toMatchObject({ status: null, message: 'HTTP 502' });
  });
});
