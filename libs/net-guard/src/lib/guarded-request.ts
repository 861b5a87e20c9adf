import type { IncomingHttpHeaders } from 'node:http';
import type * as Undici from 'undici';
import { AddressGuard, type AddressGuardOptions } from './address-guard';
import { readCappedBody } from './read-capped-body';
import { findRefusal } from './find-refusal';
import { RequestTimeoutError } from './request-timeout-error';
import { ResponseTooLargeError } from './response-too-large-error';
import { TooManyRedirectsError } from './too-many-redirects-error';
import { UnsupportedUrlError } from './unsupported-url-error';

let undici: typeof Undici | undefined;
/**
 * undici is loaded with the first request, not when the lib is: it adds about 20 MB to a process
 * (measured on Node 20), and importers that only need the guard's errors (the SEO worker's
 * handler) or never send a request must not pay for it.
 */
function undiciLibrary(): typeof Undici {
  undici ??= require('undici') as typeof Undici;
  return undici;
}

/** How {@link guardedRequest} makes its request. */
export interface GuardedRequestOptions {
  /** HTTP method, upper case. Default `GET`. */
  readonly method?: string;
  /** Request headers (names in any case). Nothing is added but what undici itself sends. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Request body, sent as is (set `content-type` yourself). */
  readonly body?: string | Uint8Array;
  /** Budget for the whole exchange, redirects and body included, in ms (> 0). */
  readonly timeoutMs: number;
  /** Most decoded body bytes to accept (>= 0); a longer body fails with {@link ResponseTooLargeError}. */
  readonly maxResponseBytes: number;
  /**
   * Most redirects to follow (>= 0). Default 5. With 0 a 3xx is returned as the response; with
   * more, one redirect past the limit fails with {@link TooManyRedirectsError}.
   */
  readonly maxRedirects?: number;
  /** The SSRF guard's settings (`allowPrivateNetworks`, the setting's name for messages, test seams). */
  readonly guard: AddressGuardOptions;
  /** Aborts the request; its `reason` is thrown. */
  readonly signal?: AbortSignal;
}

/** The final response of {@link guardedRequest}, its body read in full. */
export interface GuardedResponse {
  /** The URL that gave this response (after redirects, fragment dropped). */
  readonly url: string;
  readonly status: number;
  /** Response headers, names in lower case, as undici gives them. */
  readonly headers: IncomingHttpHeaders;
  /** The body with its `Content-Encoding` undone, at most `maxResponseBytes` long. */
  readonly body: Buffer;
  /** The URLs redirected to on the way, in order (empty when none). */
  readonly redirects: readonly string[];
}

const DEFAULT_MAX_REDIRECTS = 5;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
// Bodies of redirects are drained up to this size; past it the connection is dropped.
const DRAIN_LIMIT_BYTES = 64 * 1024;
// Credentials meant for one origin are not sent to another (as the Fetch Standard does on redirect).
const ORIGIN_BOUND_HEADERS = new Set(['authorization', 'cookie', 'proxy-authorization']);
// Dropped when a redirect turns the request into a GET without a body.
const BODY_HEADERS = new Set(['content-type', 'content-length', 'content-encoding', 'transfer-encoding']);
// undici's own timeouts sit past ours so a slow server ends with our RequestTimeoutError.
const UNDICI_TIMEOUT_SLACK_MS = 1_000;

/**
 * One HTTP(S) request that cannot reach a non-public network (SSRF guard), bounded in time and
 * in response size:
 *
 * 1. Each URL (the first and every redirect's `Location`) must be `http:` or `https:`; its host
 *    is resolved and every address checked by an {@link AddressGuard} before connecting.
 * 2. The socket connects through the guard's `lookup`, so it reaches only an address checked at
 *    that moment (no DNS-rebinding gap).
 * 3. Redirects (301, 302, 303, 307, 308) are followed by hand up to `maxRedirects`, each hop
 *    checked as above. 303, and 301/302 after a POST, continue as a GET without body (Fetch
 *    Standard); `authorization`, `cookie` and `proxy-authorization` are dropped when the origin
 *    changes.
 * 4. The body is decoded (`gzip`, `deflate`, `br`) and read up to `maxResponseBytes`; past that,
 *    reading stops and the connection is closed.
 *
 * A fresh connection pool is used per call and closed before returning; the guard's host
 * checks are not cached across calls.
 *
 * @returns the final response (any status, 1xx excepted).
 * @throws UnsupportedUrlError for a URL that does not parse or is not http(s);
 *   RefusedAddressError when a host resolves to a non-public address (guard on);
 *   RequestTimeoutError after `timeoutMs`; ResponseTooLargeError past `maxResponseBytes`;
 *   TooManyRedirectsError past `maxRedirects`; `signal.reason` when aborted; DNS and network
 *   errors (`ENOTFOUND`, `ECONNREFUSED`, `UND_ERR_SOCKET`, TLS ...) as undici gives them.
 */
export async function guardedRequest(url: string | URL, options: GuardedRequestOptions): Promise<GuardedResponse> {
  const maxRedirects = options.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
  let current = toHttpUrl(String(url));
  options.signal?.throwIfAborted();
  const guard = new AddressGuard(options.guard);
  const { Agent, request } = undiciLibrary();
  const undiciTimeoutMs = options.timeoutMs + UNDICI_TIMEOUT_SLACK_MS;
  const agent = new Agent({
    connect: { lookup: guard.lookup, timeout: undiciTimeoutMs },
    headersTimeout: undiciTimeoutMs,
    bodyTimeout: undiciTimeoutMs,
  });
  const controller = new AbortController();
  const onAbort = (): void => controller.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const timer = setTimeout(() => controller.abort(new RequestTimeoutError(options.timeoutMs)), options.timeoutMs);
  let method = (options.method ?? 'GET').toUpperCase();
  let headers: Record<string, string> = { ...options.headers };
  let body = options.body;
  const redirects: string[] = [];
  let failed = true;
  try {
    for (;;) {
      await guard.assertHostAllowed(current.hostname);
      const res = await request(current, { dispatcher: agent, method, headers, body, signal: controller.signal });
      const location = firstHeader(res.headers.location);
      if (maxRedirects > 0 && REDIRECT_STATUSES.has(res.statusCode) && location !== undefined) {
        await res.body.dump({ limit: DRAIN_LIMIT_BYTES }).catch(() => undefined);
        const next = toHttpUrl(location, current);
        if (redirects.length >= maxRedirects) throw new TooManyRedirectsError(next.href, maxRedirects);
        if (res.statusCode === 303 ? method !== 'HEAD' : (res.statusCode === 301 || res.statusCode === 302) && method === 'POST') {
          method = 'GET';
          body = undefined;
          headers = withoutHeaders(headers, BODY_HEADERS);
        }
        if (next.origin !== current.origin) headers = withoutHeaders(headers, ORIGIN_BOUND_HEADERS);
        redirects.push(next.href);
        current = next;
        continue;
      }
      const announced = Number(firstHeader(res.headers['content-length']));
      if (Number.isFinite(announced) && announced > options.maxResponseBytes) {
        // Destroying an unread undici body emits an abort error; nobody is waiting for it.
        res.body.on('error', () => undefined).destroy();
        throw new ResponseTooLargeError(current.href, options.maxResponseBytes);
      }
      const read = await readCappedBody(res.body, firstHeader(res.headers['content-encoding']), options.maxResponseBytes);
      if (read.truncated) throw new ResponseTooLargeError(current.href, options.maxResponseBytes);
      failed = false;
      return { url: current.href, status: res.statusCode, headers: res.headers, body: read.body, redirects };
    }
  } catch (err) {
    if (options.signal?.aborted) throw options.signal.reason;
    if (controller.signal.reason instanceof RequestTimeoutError) throw controller.signal.reason;
    throw findRefusal(err) ?? err;
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
    await (failed ? agent.destroy() : agent.close()).catch(() => undefined);
  }
}

/** `text` (relative to `base` when given) as an http(s) URL without fragment. */
function toHttpUrl(text: string, base?: URL): URL {
  let parsed: URL;
  try {
    parsed = new URL(text, base);
  } catch {
    throw new UnsupportedUrlError(text, 'not an absolute URL');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new UnsupportedUrlError(text, `the scheme ${parsed.protocol} is not allowed`);
  }
  parsed.hash = '';
  return parsed;
}

function withoutHeaders(headers: Record<string, string>, names: ReadonlySet<string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !names.has(name.toLowerCase())));
}

function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

