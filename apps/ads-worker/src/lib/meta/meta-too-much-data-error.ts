/**
 * Meta refused a synchronous insights call as too heavy: too much data (code 100, subcode
 * 1487534: the Insights API's data-per-call limit,
 * developers.facebook.com/docs/marketing-api/insights/best-practices), timed out (100 / 1504018,
 * 2 / 1504038: "use async jobs", Ads Insights API error codes page) or code 1 "Please reduce the
 * amount of data…"; the client then asks again through an async report run.
 */
export class MetaTooMuchDataError extends Error {
  override readonly name = 'MetaTooMuchDataError';
  constructor(message = 'Meta refused the synchronous insights call as too much data') {
    super(message);
  }
}
