import type { IncomingHttpHeaders } from 'node:http';
import type { AuditContext } from './audit-context';
import { canonicalCharset } from './canonical-charset';
import { fetchWithRedirects, type HopVerdict } from './fetch-with-redirects';
import { isSameSite } from './is-same-site';
import type { LinkStatus } from './link-status';
import { parseContentType } from './parse-content-type';
import { parsePage } from './parse-page';
import type { RefusedAddressError } from '@jobs/net-guard';
import type { RedirectHop, SeoPage } from '@jobs/queue-contracts';
import { xRobotsTagNoindex } from './x-robots-tag-noindex';

/**
 * What fetching one frontier URL gave. `status` is what a link checker would have seen for
 * `url` (`null` = deliberately not requested). Kinds:
 * - `page`: an HTML page (2xx) or a failing URL (4xx/5xx, network error, too many redirects,
 *   its origin's robots.txt unreachable), with the anchors (`links`, one per anchor) and
 *   `resources` found on it.
 * - `not-page`: a non-HTML file, a redirect out of the site, a redirect onto a URL another
 *   frontier entry already owns (`claim` said no), or an odd final status (1xx, 3xx).
 * - `robots`: robots.txt disallows `blockedUrl` (the URL itself or a redirect hop).
 * - `refused`: the address guard refused `blockedUrl`'s host.
 */
export type PageFetch =
  | {
      readonly kind: 'page';
      readonly status: LinkStatus | null;
      readonly page: SeoPage;
      readonly links: string[];
      readonly resources: string[];
    }
  | { readonly kind: 'not-page'; readonly status: LinkStatus; readonly finalUrl: string }
  | { readonly kind: 'robots'; readonly status: null; readonly blockedUrl: string }
  | {
      readonly kind: 'refused';
      readonly status: null;
      readonly blockedUrl: string;
      readonly error: RefusedAddressError;
    };

/** Inputs of {@link fetchPage} besides the URL. */
export interface FetchPageParams {
  /** The audited site's start URL: decides what is internal and which redirects stay. */
  readonly site: URL;
  readonly depth: number;
  readonly ctx: AuditContext;
  /**
   * Called when redirects end on another URL than asked: true if this fetch may own that final
   * URL as a page, false if another frontier entry already does (then no page is made, which
   * keeps e.g. `/docs` → `/docs/` from being counted twice).
   */
  readonly claim: (finalUrl: string) => boolean;
}

const HTML_TYPES = new Set(['text/html', 'application/xhtml+xml']);

/**
 * Fetches one frontier URL as the crawler does: robots.txt first, then GET following redirects
 * inside the site (each hop robots-checked and address-checked), then parses an HTML body into
 * an audit page. Bodies are dropped once parsed.
 *
 * @param url - normalised absolute URL.
 * @throws only the job signal's reason on abort (every other failure is an outcome).
 */
export async function fetchPage(url: string, params: FetchPageParams): Promise<PageFetch> {
  const { site, depth, ctx } = params;
  const { robots, fetcher, options } = ctx;
  const verdict = await robots.check(new URL(url));
  if (!verdict.allowed && verdict.unreachable === undefined) {
    return { kind: 'robots', status: null, blockedUrl: url };
  }
  if (!verdict.allowed) {
    // The origin cannot be crawled at all (robots.txt unreachable): a failure, not a rule.
    const error = verdict.unreachable;
    const page = emptyPage({ url, finalUrl: url, depth, status: null, error, timeMs: 0, redirectChain: [] });
    return { kind: 'page', status: null, page, links: [], resources: [] };
  }

  let robotsBlocked: string | null = null;
  const beforeHop = async (next: URL): Promise<HopVerdict> => {
    if (!isSameSite(next, site)) return 'off-site';
    if (!(await robots.isAllowed(next))) {
      robotsBlocked = next.href;
      return 'robots';
    }
    return 'follow';
  };
  const outcome = await fetchWithRedirects(fetcher, new URL(url), {
    method: 'GET',
    maxRedirects: options.maxRedirects,
    beforeHop,
    readBody: (status, headers) => status >= 200 && status < 300 && mayBeHtml(headers),
  });
  const base = { url, depth, redirectChain: outcome.chain, timeMs: round(outcome.timeMs) };

  switch (outcome.kind) {
    case 'refused':
      return { kind: 'refused', status: null, blockedUrl: outcome.url, error: outcome.error };
    case 'stopped':
      if (outcome.reason === 'robots') {
        return { kind: 'robots', status: null, blockedUrl: robotsBlocked ?? outcome.url };
      }
      return { kind: 'not-page', status: { status: lastStatus(outcome.chain) }, finalUrl: outcome.url };
    case 'failed': {
      const status: LinkStatus = { status: null, error: outcome.error };
      const page = emptyPage({ ...base, finalUrl: outcome.url, status: null, error: outcome.error });
      return { kind: 'page', status, page, links: [], resources: [] };
    }
  }

  const res = outcome.response;
  const status: LinkStatus = { status: res.status };
  if (res.url !== url && !params.claim(res.url)) {
    return { kind: 'not-page', status, finalUrl: res.url };
  }
  const contentType = firstHeader(res.headers['content-type']) ?? null;
  const { mimeType, charset: transportCharset } = parseContentType(contentType);
  const noindexHeader = xRobotsTagNoindex(res.headers['x-robots-tag']);
  const described = { ...base, finalUrl: res.url, status: res.status, contentType };

  if (res.status >= 400) {
    // Error bodies are not read, so the header's label is all there is; named as a sniffed one is.
    const page = emptyPage({ ...described, charset: canonicalCharset(transportCharset), noindex: noindexHeader });
    return { kind: 'page', status, page, links: [], resources: [] };
  }
  const body = res.body;
  const isHtml = mimeType === null ? body !== null && sniffsAsHtml(body) : HTML_TYPES.has(mimeType);
  if (res.status >= 300 || res.status < 200 || body === null || !isHtml) {
    return { kind: 'not-page', status, finalUrl: res.url };
  }

  const parsed = parsePage(body, transportCharset, res.url);
  let internalLinks = 0;
  for (const link of parsed.links) if (isSameSite(new URL(link), site)) internalLinks += 1;
  const page: SeoPage = {
    ...described,
    ...(res.truncated
      ? { error: `body truncated at ${options.maxResponseBytes} bytes (maxResponseBytes)` }
      : {}),
    bytes: body.length,
    charset: canonicalCharset(parsed.charset),
    title: parsed.title,
    metaDescription: parsed.metaDescription,
    h1Count: parsed.h1Count,
    canonical: parsed.canonical,
    lang: parsed.lang,
    imagesWithoutAlt: parsed.imagesWithoutAlt,
    noindex: parsed.noindexMeta || noindexHeader,
    internalLinks,
    externalLinks: parsed.links.length - internalLinks,
  };
  return { kind: 'page', status, page, links: parsed.links, resources: parsed.resources };
}

interface EmptyPageInput {
  readonly url: string;
  readonly finalUrl: string;
  readonly depth: number;
  readonly status: number | null;
  readonly error?: string;
  readonly timeMs: number;
  readonly redirectChain: RedirectHop[];
  readonly contentType?: string | null;
  readonly charset?: string | null;
  readonly noindex?: boolean;
}

/** A page record for a URL whose body was not parsed (an error response or no response). */
function emptyPage(input: EmptyPageInput): SeoPage {
  return {
    url: input.url,
    finalUrl: input.finalUrl,
    depth: input.depth,
    status: input.status,
    ...(input.error === undefined ? {} : { error: input.error }),
    timeMs: input.timeMs,
    // Error bodies are not downloaded (they tell the audit nothing), so no bytes were read.
    bytes: 0,
    contentType: input.contentType ?? null,
    charset: input.charset ?? null,
    redirectChain: input.redirectChain,
    title: null,
    metaDescription: null,
    h1Count: 0,
    canonical: null,
    lang: null,
    imagesWithoutAlt: 0,
    noindex: input.noindex ?? false,
    internalLinks: 0,
    externalLinks: 0,
  };
}

/** Read the body when it is declared HTML, or undeclared (sniffed after reading). */
function mayBeHtml(headers: IncomingHttpHeaders): boolean {
  const { mimeType } = parseContentType(firstHeader(headers['content-type']));
  return mimeType === null || HTML_TYPES.has(mimeType);
}

/** For a response without `Content-Type`: does the body start like an HTML document? */
function sniffsAsHtml(body: Buffer): boolean {
  const head = body
    .subarray(0, 512)
    .toString('latin1')
    .replace(/^\xEF\xBB\xBF/, '')
    .trimStart();
  return /^<(!doctype\s+html|html|head|body|title)[\s>]/i.test(head);
}

function lastStatus(chain: readonly RedirectHop[]): number | null {
  return chain.length > 0 ? chain[chain.length - 1].status : null;
}

function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
