/**
 * Meta refused a synchronous insights call as too much data (code 100, subcode 1487534: the
 * Insights API's data-per-call limit, developers.facebook.com/docs/marketing-api/insights/best-practices);
 * the client then asks again through an async report run.
 */
export class MetaTooMuchDataError extends Error {
  override readonly name = 'MetaTooMuchDataError';
  constructor(message = 'Meta refused the synchronous insights call as too much data') {
    super(message);
  }
}
