import { FacebookAdsApi } from 'facebook-nodejs-business-sdk';
import { PermanentJobError, RetryLaterError } from '@jobs/worker-kit';
import { readMetaGraphFailure } from './meta-graph-failure';
import { metaPageUrl } from './meta-page-url';
import type { MetaThrottle } from './meta-throttle';
import { MetaTooMuchDataError } from './meta-too-much-data-error';
import { readMetaUsage } from './meta-usage-headers';

/** Options of {@link MetaGraphApi}. */
export interface MetaGraphApiOptions {
  readonly accessToken: string;
  /** Graph origin, e.g. `https://graph.facebook.com` (the SDK adds its version, `v24.0`). */
  readonly graphUrl: string;
  readonly throttle: MetaThrottle;
  /** A fresh access token, asked once after Meta refused the current one (code 190). */
  readonly refreshAccessToken: () => Promise<string>;
  /** The job's account id, named in errors. */
  readonly accountId: string;
  readonly signal: AbortSignal;
  readonly note?: (message: string) => void;
  /** Consecutive rate-limit refusals of one call before giving the job back (RetryLaterError); default 3. */
  readonly maxRefusalsPerCall?: number;
}

/**
 * The SDK's `FacebookAdsApi` for one job: made with `crash_log = false` (the SDK's crash reporter
 * would otherwise install process-wide handlers) and never made the global default; headers
 * shown (`setShowHeader(true)`) so the usage headers can be read. Every SDK call — node reads,
 * edges, each `cursor.next()` page, async report runs — goes through {@link MetaGraphApi.call},
 * which sends it to `graphUrl` (the SDK's `urlOverride` parameter; page links through
 * {@link metaPageUrl}, so they stay on `graphUrl` and carry the current token), paces it through the shared
 * {@link MetaThrottle}, and turns failures into the kit's errors:
 * - rate limit (codes 4, 17, 32, 613, 80000–80014): pause for the headers' time and call again
 *   (in process when the wait is at most `maxInProcessWaitMs`, else `RetryLaterError`);
 * - token refused (190/102/104): one fresh token, call again; refused again → `PermanentJobError`
 *   (the user must reconnect the ad account);
 * - no permission on the account (10, 200–299, 100/33) → `PermanentJobError` naming the account;
 * - too much data for a sync insights call (or timed out, see `readMetaGraphFailure`) →
 *   {@link MetaTooMuchDataError};
 * - 3018, insights asked for a `time_range.since` more than 37 months back → `PermanentJobError`
 *   naming `dateRange.start` and that day (asking again cannot help);
 * - anything else from Graph → `Error` with status, code and message (the job's attempts apply).
 * Errors never carry the SDK's error (its `url` and `data` hold the access token).
 * An in-flight request cannot be cancelled through the SDK; on abort the call rejects with the
 * signal's reason at once and its answer is ignored.
 */
export class MetaGraphApi extends FacebookAdsApi {
  constructor(private readonly options: MetaGraphApiOptions) {
    super(options.accessToken, 'en_US', false);
    this.setShowHeader(true);
  }

  override async call<T>(
    method: string,
    path: string | string[],
    params: Record<string, unknown> = {},
    files: Record<string, unknown> = {},
    useMultipartFormData = false,
  ): Promise<T> {
    const { signal, throttle } = this.options;
    let refreshed = false;
    let refusals = 0;
    for (;;) {
      signal.throwIfAborted();
      await throttle.beforeCall(signal, this.options.note);
      const target = typeof path === 'string' || (path as unknown) instanceof String ? metaPageUrl(String(path), this.options.graphUrl, this.accessToken) : path;
      try {
        const answer = await abortable(super.call<T>(method, target, { ...params }, files, useMultipartFormData, this.options.graphUrl), signal);
        await throttle.afterAnswer(readMetaUsage((answer as { headers?: unknown } | null)?.headers));
        return answer;
      } catch (err) {
        signal.throwIfAborted();
        const failure = readMetaGraphFailure(err);
        if (!failure) throw err;
        const usage = readMetaUsage(failure.headers);
        const what = `Meta Graph API answered ${failure.status ?? 'nothing'} (code ${failure.code ?? '-'}${failure.subcode === null ? '' : `/${failure.subcode}`}) for ad account ${this.options.accountId}: ${failure.message}`;
        if (failure.kind === 'rate-limit-account' || failure.kind === 'rate-limit-app') {
          const ms = await throttle.afterRefusal(failure.kind === 'rate-limit-app' ? 'app' : 'account', usage);
          if (++refusals >= (this.options.maxRefusalsPerCall ?? 3)) throw new RetryLaterError(ms, what);
          this.options.note?.(`Meta asked to slow down (code ${failure.code}); waiting ${Math.ceil(ms / 1000)} s`);
          continue;
        }
        await throttle.afterAnswer(usage);
        if (failure.kind === 'token') {
          if (refreshed) throw new PermanentJobError(`${what}. The access token was refused again after a refresh: the user must reconnect the Meta ad account`);
          refreshed = true;
          this.accessToken = await this.options.refreshAccessToken();
          continue;
        }
        if (failure.kind === 'permission') throw new PermanentJobError(`${what}. The connected user has no access to this ad account (or it does not exist)`);
        if (failure.kind === 'too-much-data') throw new MetaTooMuchDataError(what);
        if (failure.kind === 'history-limit') throw new PermanentJobError(historyLimitMessage(params, what));
        throw new Error(what);
      }
    }
  }
}

/** The 3018 refusal in the job's terms: the field to change and the day Meta refused. */
function historyLimitMessage(params: Record<string, unknown>, what: string): string {
  let range: unknown = params['time_range'];
  if (typeof range === 'string') {
    try {
      range = JSON.parse(range);
    } catch {
      range = undefined;
    }
  }
  const since = range && typeof range === 'object' && typeof (range as { since?: unknown }).since === 'string' ? (range as { since: string }).since : undefined;
  const from = since === undefined ? 'the range asked for' : `a range from ${since}`;
  return `dateRange.start: Meta keeps ad insights for the last 37 months only, and ${from} reaches further back. ${what}`;
}

function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
