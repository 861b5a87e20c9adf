/**
 * Size bounds of job data, in one place so the producer, the worker and the README quote the same
 * numbers. Characters are UTF-16 code units (JavaScript `length`); bytes are UTF-8 bytes of the
 * value serialised as JSON.
 *
 * - `MAX_ID_CHARS` (256): every id (`userId`, `accountId`, `callId`, `runId`, lead ids, campaign
 *   ids …).
 * - `MAX_URL_CHARS` (2048): `websiteUrl`, `competitorUrls`; the sitemaps protocol's bound on a
 *   URL (sitemaps.org, "must be less than 2,048 characters"), which crawlers and browsers honour.
 * - `MAX_EMAIL_CHARS` (254): a lead's `email`; the longest address SMTP can carry (RFC 5321
 *   §4.5.3.1.3: a 256-octet path less its angle brackets).
 * - `MAX_NAME_CHARS` (256): a lead's `company`.
 * - `MAX_PHONE_CHARS` (40): `phoneNumber`, a lead's `phone`, as typed, separators included
 *   (E.164 itself allows at most 15 digits, checked separately).
 * - `MAX_DRAFT_CONTEXT_CHARS` (20 000): `EMAIL_DRAFT.context`, the user's instructions.
 * - `MAX_METADATA_BYTES` (16 KiB): `VOICE_CALL.metadata`.
 * - `MAX_CONTEXT_BYTES` (64 KiB): `WORKFLOW_EXECUTION.context`.
 * - `MAX_JSON_DEPTH` (32): nesting of any JSON field (`{}` or `[]` counts one level); deeper
 *   values are refused before anything recurses over them, so hostile nesting gives a validation
 *   error naming the field rather than a stack overflow.
 * - `MAX_LEADS` (10 000), `MAX_CAMPAIGN_IDS` (500), `MAX_COMPETITOR_URLS` (5): list lengths.
 * - `MAX_AD_DATE_RANGE_DAYS` (1126): days in an `AD_ANALYSIS` range, both ends included: about
 *   37 months, as long as Meta's Ads Insights history ("`date_preset=maximum` returns a maximum
 *   of 37 months of data", Marketing API reference, Ad Account Insights). Meta's limit is on how
 *   old a day is (a `since` older than 37 months is refused with error #3018), not on length: the
 *   ads worker cuts a Meta range at it; this bound only keeps one job's range no longer than the
 *   longest Meta can answer.
 * - `MAX_JOB_DATA_BYTES` (2 MiB): a whole job's data; refused by the producer before Redis and
 *   passed to BullMQ as `sizeLimit`. 10 000 ordinary leads (~100 bytes each) fit.
 */
export const CONTRACT_LIMITS = Object.freeze({
  MAX_ID_CHARS: 256,
  MAX_URL_CHARS: 2048,
  MAX_EMAIL_CHARS: 254,
  MAX_NAME_CHARS: 256,
  MAX_PHONE_CHARS: 40,
  MAX_DRAFT_CONTEXT_CHARS: 20_000,
  MAX_METADATA_BYTES: 16 * 1024,
  MAX_CONTEXT_BYTES: 64 * 1024,
  MAX_JSON_DEPTH: 32,
  MAX_LEADS: 10_000,
  MAX_CAMPAIGN_IDS: 500,
  MAX_COMPETITOR_URLS: 5,
  MAX_AD_DATE_RANGE_DAYS: 1126,
  MAX_JOB_DATA_BYTES: 2 * 1024 * 1024,
});
