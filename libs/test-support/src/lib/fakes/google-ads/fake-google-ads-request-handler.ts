import { randomBytes } from 'node:crypto';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { findSyntheticAdAccount } from '../ads/synthetic-ad-accounts';
import type { SlidingWindowRateLimiter } from '../apify/fake-apify-rate-limiter';
import { bearerToken } from '../shared/bearer-token';
import { readRequestBody } from '../shared/read-request-body';
import type { RecordedRequest } from '../shared/recorded-request';
import { reportHandlerBugs } from '../shared/report-handler-bugs';
import { parseFakeGaql } from './fake-gaql-query';
import { FakeGoogleAdsError, fakeGoogleAdsErrors, type FakeGoogleAdsRateScope } from './fake-google-ads-error';
import type { FakeGoogleAdsFaults } from './fake-google-ads-faults';
import { fakeGoogleAdsFieldMask, runFakeGoogleAdsQuery, type FakeGoogleAdsCampaignSettings, type FakeGoogleAdsRow } from './fake-google-ads-rows';

/** One request the fake Google Ads server received. */
export interface FakeGoogleAdsRecordedRequest extends RecordedRequest {
  /** API version of the path, e.g. `v26`; null for a path the fake does not serve. */
  readonly version: string | null;
  /** Customer id of the path as sent. */
  readonly customerId: string | null;
  /** The bearer token sent (made-up test tokens only), or null. */
  readonly accessToken: string | null;
  /** `developer-token` header, or null. */
  readonly developerToken: string | null;
  /** `login-customer-id` header, or null. */
  readonly loginCustomerId: string | null;
  /** The GAQL `query` of the body, or null. */
  readonly query: string | null;
}

type MutableRecord = { -readonly [K in keyof FakeGoogleAdsRecordedRequest]: FakeGoogleAdsRecordedRequest[K] };

/** Everything the handler reads and writes; owned by the server. */
export interface FakeGoogleAdsServerState {
  developerToken: string | undefined;
  /** API versions served; others answer 404. */
  readonly versions: ReadonlySet<string>;
  /** Token → customer ids it may reach (`'*'`: all); undefined accepts any token for every customer. */
  accessTokens: Map<string, readonly string[] | '*'> | undefined;
  readonly disabledCustomers: ReadonlySet<string>;
  quota: { readonly limiter: SlidingWindowRateLimiter; readonly retryDelaySeconds: number; readonly rateScope: FakeGoogleAdsRateScope } | undefined;
  readonly faults: FakeGoogleAdsFaults;
  readonly batchSize: number;
  /** Campaign id → settings the synthetic accounts do not carry. */
  readonly campaignSettings: ReadonlyMap<string, FakeGoogleAdsCampaignSettings>;
  readonly requests: FakeGoogleAdsRecordedRequest[];
  refusals: number;
}

const PATH = /^\/(v\d+)\/customers\/([^/]+)\/googleAds:searchStream$/;

/**
 * The fake's pipeline: record, then the path (`POST /{version}/customers/{id}/googleAds:searchStream`
 * with a served version, else 404), the bearer token (401), the developer token when enforced (401), the quota (429;
 * counted per project or per path customer id, by its rate scope),
 * injected faults, the body (`{ query }`), the customer id (400 when not 10 digits; 403 when
 * unknown, out of the token's reach or disabled), the query; then the answer: a JSON array of
 * `{ results, fieldMask, requestId }` batches of at most `batchSize` rows, the last with
 * `queryResourceConsumption`. Errors of searchStream come as a one-element array `[{ error }]`
 * with the error's HTTP status.
 */
export function createGoogleAdsRequestHandler(state: FakeGoogleAdsServerState): RequestListener {
  return reportHandlerBugs('fake Google Ads server', (req, res) => handle(state, req, res));
}

async function handle(state: FakeGoogleAdsServerState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const method = (req.method ?? 'GET').toUpperCase();
  const path = new URL(req.url ?? '/', 'http://fake.invalid').pathname;
  const header = (name: string): string | null => {
    const value = req.headers[name];
    return typeof value === 'string' ? value : null;
  };
  const token = bearerToken(req.headers.authorization) ?? null;
  const match = PATH.exec(path);
  const record: MutableRecord = {
    method,
    path,
    status: 0,
    at: Date.now(),
    version: match?.[1] ?? null,
    customerId: match?.[2] ?? null,
    accessToken: token,
    developerToken: header('developer-token'),
    loginCustomerId: header('login-customer-id'),
    query: null,
  };
  state.requests.push(record);
  const raw = await readRequestBody(req);
  const requestId = randomBytes(16).toString('base64url').slice(0, 22);
  const version = match?.[1] ?? 'v0';
  try {
    if (!match || method !== 'POST' || !state.versions.has(match[1]!)) throw fakeGoogleAdsErrors.notFound(path);
    if (token === null) throw fakeGoogleAdsErrors.missingCredential();
    const reach = state.accessTokens ? state.accessTokens.get(token) : '*';
    if (reach === undefined) throw fakeGoogleAdsErrors.invalidCredential();
    if (state.developerToken !== undefined && record.developerToken !== state.developerToken) throw fakeGoogleAdsErrors.developerTokenInvalid();
    const quota = state.quota;
    if (quota && !quota.limiter.tryAcquire(quota.rateScope === 'ACCOUNT' ? `customer:${match[2]!}` : 'project')) {
      throw fakeGoogleAdsErrors.quota(quota.retryDelaySeconds, 'RESOURCE_TEMPORARILY_EXHAUSTED', quota.rateScope);
    }
    const fault = state.faults.take(method, path);
    if (fault && !fault.midStream) throw fault.error;
    const query = queryOf(raw);
    record.query = query;
    const customerId = match[2]!;
    if (!/^\d{10}$/.test(customerId)) throw fakeGoogleAdsErrors.invalidCustomerId();
    const account = findSyntheticAdAccount('google', customerId);
    if (!account || (reach !== '*' && !reach.includes(customerId))) throw fakeGoogleAdsErrors.userPermissionDenied(customerId);
    if (state.disabledCustomers.has(customerId)) throw fakeGoogleAdsErrors.customerNotEnabled();
    const parsed = parseFakeGaql(query);
    const rows = runFakeGoogleAdsQuery(account, parsed, state.campaignSettings);
    const batches = toBatches(rows, state.batchSize, fakeGoogleAdsFieldMask(parsed.select), requestId);
    if (fault) {
      send(record, res, 200, [batches[0]!, fault.error.toJson(version, requestId)]);
      return;
    }
    send(record, res, 200, batches);
  } catch (err) {
    if (!(err instanceof FakeGoogleAdsError)) throw err;
    if (err.httpStatus === 429) state.refusals++;
    const body = err.toJson(version, requestId);
    send(record, res, err.httpStatus, match ? [body] : body);
  }
}

/** @throws FakeGoogleAdsError 400 unless the body is JSON `{ query: string }`. */
function queryOf(raw: Buffer): string {
  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch {
    throw fakeGoogleAdsErrors.badRequestBody('Invalid JSON payload received.');
  }
  const query = (body as { query?: unknown } | null)?.query;
  if (typeof query !== 'string' || query.trim() === '') throw fakeGoogleAdsErrors.queryError('EXPECTED_SELECT', 'Error in query: the query is empty.');
  return query;
}

function toBatches(rows: FakeGoogleAdsRow[], size: number, fieldMask: string, requestId: string): Record<string, unknown>[] {
  const batches: Record<string, unknown>[] = [];
  for (let i = 0; i < rows.length; i += size) batches.push({ results: rows.slice(i, i + size), fieldMask, requestId });
  if (batches.length === 0) batches.push({ fieldMask, requestId });
  // Each row costs one unit in the fake; the API reports its own measure in the last batch.
  batches[batches.length - 1]!['queryResourceConsumption'] = String(rows.length);
  return batches;
}

function send(record: MutableRecord, res: ServerResponse, status: number, body: unknown): void {
  record.status = status;
  const text = Buffer.from(JSON.stringify(body), 'utf8');
  res.writeHead(status, { 'Content-Type': 'application/json; charset=UTF-8', 'Content-Length': String(text.length) });
  res.end(text);
}
