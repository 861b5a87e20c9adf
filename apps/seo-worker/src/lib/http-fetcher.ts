import type { IncomingHttpHeaders } from 'node:http';
import { Agent, request } from 'undici';
import { type AddressGuard, findRefusal, readCappedBody, RequestTimeoutError } from '@jobs/net-guard';
import type { CrawlOptions } from './crawl-options';
import { Semaphore } from './semaphore';

/** One HTTP response, redirects not followed. */
export interface FetchedResponse {
  /** The URL asked for (fragment dropped). */
  readonly url: string;
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  /** The decoded body when `readBody` asked for it, else `null` (the body was discarded). */
  readonly body: Buffer | null;
  /** True when the body exceeded `maxResponseBytes` and only its start was kept. */
  readonly truncated: boolean;
  /** Time from sending the request to the last byte read, in ms. */
  readonly timeMs: number;
}

/** How to make one request with {@link HttpFetcher.fetchOnce}. */
export interface FetchOnceOptions {
  readonly method: 'GET' | 'HEAD';
  /** Decides from status and headers whether the body is worth reading (HTML pages only). */
  readonly readBody: (status: number, headers: IncomingHttpHeaders) => boolean;
}

/** What {@link HttpFetcher} needs: the crawl settings, the SSRF guard, the job's signal. */
export interface HttpFetcherDeps {
  readonly options: CrawlOptions;
  readonly guard: AddressGuard;
  readonly signal: AbortSignal;
}

// Bodies nobody reads (redirects, errors, non-HTML) are drained up to this size so the
// keep-alive connection can be reused; anything longer closes the connection instead.
const DRAIN_LIMIT_BYTES = 64 * 1024;

/**
 * The crawler's only way onto the network: single HTTP requests over one undici `Agent` whose
 * connections resolve through the {@link AddressGuard} (so each socket goes to an address just
 * checked), with at most `perHostConcurrency` requests per host name in flight, a
 * `requestTimeoutMs` budget per request and a `maxResponseBytes` cap on bodies. Redirects are
 * not followed here (see `fetchWithRedirects`) so every hop is checked and recorded.
 *
 * One instance per audit; {@link HttpFetcher.close} releases its connections.
 */
export class HttpFetcher {
  private readonly agent: Agent;
  private readonly hostLimits = new Map<string, Semaphore>();
  private closing: Promise<void> | null = null;

  constructor(private readonly deps: HttpFetcherDeps) {
    const { options, guard } = deps;
    this.agent = new Agent({
      // undici pools per origin; matching the per-host permits avoids queueing inside undici,
      // where our timeout would already be running.
      connections: options.perHostConcurrency,
      connect: { lookup: guard.lookup, timeout: options.requestTimeoutMs },
      headersTimeout: options.requestTimeoutMs,
      bodyTimeout: options.requestTimeoutMs,
    });
  }

  /** True once the job's signal has aborted: callers stop treating failures as outcomes. */
  get aborted(): boolean {
    return this.deps.signal.aborted;
  }

  /**
   * Makes one request to `url` (no redirects followed).
   * @throws RefusedAddressError when the host resolves to a non-public address (guard on);
   *   RequestTimeoutError after `requestTimeoutMs`; the job signal's reason when it aborts;
   *   undici/network errors (`ECONNREFUSED`, TLS, DNS ...) otherwise.
   */
  async fetchOnce(url: URL, init: FetchOnceOptions): Promise<FetchedResponse> {
    const { options, guard, signal } = this.deps;
    signal.throwIfAborted();
    await guard.assertHostAllowed(url.hostname);
    const release = await this.hostLimit(url.hostname).acquire(signal);
    const controller = new AbortController();
    const onJobAbort = (): void => controller.abort(signal.reason);
    signal.addEventListener('abort', onJobAbort, { once: true });
    const timer = setTimeout(
      () => controller.abort(new RequestTimeoutError(options.requestTimeoutMs)),
      options.requestTimeoutMs,
    );
    const started = performance.now();
    try {
      const target = new URL(url.href);
      target.hash = '';
      const res = await request(target, {
        dispatcher: this.agent,
        method: init.method,
        signal: controller.signal,
        headers: {
          'user-agent': options.userAgent,
          accept: 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.8',
          'accept-encoding': 'gzip, deflate, br',
        },
      });
      let body: Buffer | null = null;
      let truncated = false;
      if (init.method === 'GET' && init.readBody(res.statusCode, res.headers)) {
        const read = await readCappedBody(
          res.body,
          headerValue(res.headers['content-encoding']),
          options.maxResponseBytes,
        );
        body = read.body;
        truncated = read.truncated;
      } else {
        await res.body.dump({ limit: DRAIN_LIMIT_BYTES }).catch(() => undefined);
      }
      return {
        url: target.href,
        status: res.statusCode,
        headers: res.headers,
        body,
        truncated,
        timeMs: performance.now() - started,
      };
    } catch (err) {
      if (signal.aborted) throw signal.reason;
      if (controller.signal.reason instanceof RequestTimeoutError) throw controller.signal.reason;
      throw findRefusal(err) ?? err;
    } finally {
      clearTimeout(timer);
      signal.removeEventListener('abort', onJobAbort);
      release();
    }
  }

  /**
   * Closes the connections: gracefully, or at once when the job was aborted. Idempotent; later
   * calls return the first call's promise.
   */
  close(): Promise<void> {
    this.closing ??= (this.deps.signal.aborted ? this.agent.destroy() : this.agent.close()).catch(
      () => undefined,
    );
    return this.closing;
  }

  private hostLimit(hostname: string): Semaphore {
    let limit = this.hostLimits.get(hostname);
    if (!limit) {
      limit = new Semaphore(this.deps.options.perHostConcurrency);
      this.hostLimits.set(hostname, limit);
    }
    return limit;
  }
}

/** The first value of a header that may be repeated. */
function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

