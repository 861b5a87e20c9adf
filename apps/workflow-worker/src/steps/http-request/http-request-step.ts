import { isLiteralHttpUrl, WORKFLOW_DEFAULTS } from '@jobs/queue-contracts';
import { guardedRequest, type ResolveAllFn } from '@jobs/net-guard';
import type { StepKind, StepOfKind, StepResult } from '../../engine/step-kind';
import { failureOfError, failureOfStatus } from './to-http-failure';
import { toHttpOutput } from './to-http-output';

/** The setting that lets `http_request` steps reach non-public addresses; named in refusals. */
export const HTTP_ALLOW_PRIVATE_NETWORKS_SETTING = 'WORKFLOW_HTTP_ALLOW_PRIVATE_NETWORKS';

/** What the `http_request` step kind needs from the app. */
export interface HttpRequestStepDeps {
  /**
   * Lets requests reach loopback, private, link-local (cloud metadata) and other non-public
   * addresses: the app's `WORKFLOW_HTTP_ALLOW_PRIVATE_NETWORKS`. Keep it off in production.
   */
  readonly allowPrivateNetworks: boolean;
  /** `User-Agent` sent unless the step sets one. Default `jobs-workflow-worker`. */
  readonly userAgent?: string;
  /** Name resolution for the SSRF guard (tests); default `dns.lookup`. */
  readonly resolveAll?: ResolveAllFn;
  /** Address classification for the SSRF guard (tests); default `classifyAddress`. */
  readonly classify?: (address: string) => string | null;
}

type HttpRequestStep = StepOfKind<'http_request'>;

const DEFAULT_USER_AGENT = 'jobs-workflow-worker';
const SNIPPET_CHARS = 200;

/**
 * The `http_request` step kind: one webhook call per attempt, through `@jobs/net-guard`'s
 * `guardedRequest` (SSRF guard on every hop unless `allowPrivateNetworks`, redirects followed and
 * re-checked, `timeoutMs` for the whole exchange, `maxResponseBytes` cap).
 *
 * - `url`: an absolute http(s) URL as written, or a JSONata expression giving one.
 * - `body`: an expression; its value is sent as JSON (`content-type: application/json` unless the
 *   step's `headers` set one).
 * - Sends `Idempotency-Key: <runId>:<stepId>` on every attempt, so a receiver that honours it
 *   acts once however often the step is retried or re-run after a crash.
 * - Defaults: `timeoutMs` 10 000, `maxResponseBytes` 1 MiB (`WORKFLOW_DEFAULTS`).
 *
 * Results: a final 2xx or 3xx (one not followed) completes with `{ status, headers, body }`
 * (see `toHttpOutput`); 429, 5xx, timeouts and network errors fail retryably (`Retry-After`
 * honoured); other 4xx, refused addresses, bad URLs, too many redirects and a response over the
 * cap fail for good. A URL expression that gives no string fails for good.
 *
 * @throws the attempt signal's reason once it aborted (step timeout, shutdown), and
 *   `StepExpressionError` from `evaluate` (the engine fails the step for good).
 */
export function createHttpRequestStep(deps: HttpRequestStepDeps): StepKind<HttpRequestStep> {
  const guard = {
    allowPrivateNetworks: deps.allowPrivateNetworks,
    allowSetting: HTTP_ALLOW_PRIVATE_NETWORKS_SETTING,
    resolveAll: deps.resolveAll,
    classify: deps.classify,
  };
  return {
    kind: 'http_request',
    async run({ step, runId, visit, evaluate, signal, log, now }): Promise<StepResult> {
      const url = isLiteralHttpUrl(step.url) ? step.url : await evaluate(step.url, 'url');
      if (typeof url !== 'string') {
        const given = JSON.stringify(url).slice(0, SNIPPET_CHARS);
        return { type: 'failed', error: `step "${step.id}" url: the expression gave ${given}, not a URL string`, retryable: false };
      }
      const target = describeTarget(step.method, url);
      const headers = requestHeaders(step, runId, visit, deps.userAgent ?? DEFAULT_USER_AGENT);
      let body: string | undefined;
      if (step.body !== undefined) {
        body = JSON.stringify(await evaluate(step.body, 'body'));
        if (!hasHeader(headers, 'content-type')) headers['content-type'] = 'application/json';
      }
      let response;
      try {
        response = await guardedRequest(url, {
          method: step.method,
          headers,
          body,
          timeoutMs: step.timeoutMs ?? WORKFLOW_DEFAULTS.httpTimeoutMs,
          maxResponseBytes: step.maxResponseBytes ?? WORKFLOW_DEFAULTS.httpMaxResponseBytes,
          guard,
          signal,
        });
      } catch (err) {
        if (signal.aborted) throw signal.reason;
        const failure = failureOfError(err, target);
        log.warn({ err, retryable: failure.retryable }, `http_request ${target} failed`);
        return failure;
      }
      log.debug({ status: response.status, redirects: response.redirects.length }, `http_request ${target} answered`);
      if (response.status >= 400) {
        const retryAfter = response.headers['retry-after'];
        return failureOfStatus(response.status, Array.isArray(retryAfter) ? retryAfter[0] : retryAfter, target, snippetOf(response.body), now);
      }
      return { type: 'completed', output: toHttpOutput(response) };
    },
  };
}

/** The step's headers, then the ones the worker owns: `idempotency-key` always, `user-agent` and `accept` unless set. */
function requestHeaders(step: HttpRequestStep, runId: string, visit: number, userAgent: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(step.headers ?? {})) {
    if (name.toLowerCase() !== 'idempotency-key') headers[name] = value;
  }
  // Per visit: a loop that calls the webhook again is new work, not a retry of the first call.
  headers['idempotency-key'] = visit === 1 ? `${runId}:${step.id}` : `${runId}:${step.id}:${visit}`;
  if (!hasHeader(headers, 'user-agent')) headers['user-agent'] = userAgent;
  if (!hasHeader(headers, 'accept')) headers['accept'] = 'application/json, text/plain;q=0.9, */*;q=0.8';
  return headers;
}

function hasHeader(headers: Record<string, string>, name: string): boolean {
  return Object.keys(headers).some((key) => key.toLowerCase() === name);
}

/** `METHOD origin/path` for messages: no user info, query or fragment (they may hold tokens). */
function describeTarget(method: string, url: string): string {
  try {
    const parsed = new URL(url);
    return `${method} ${parsed.origin}${parsed.pathname}`;
  } catch {
    return `${method} ${JSON.stringify(url.slice(0, SNIPPET_CHARS))}`;
  }
}

/** The start of a body as one line of text, for error messages. */
function snippetOf(body: Buffer): string {
  return body.subarray(0, SNIPPET_CHARS * 2).toString('utf8').replace(/\s+/g, ' ').trim().slice(0, SNIPPET_CHARS);
}
