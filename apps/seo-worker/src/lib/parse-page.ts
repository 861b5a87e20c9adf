import type { CheerioAPI } from 'cheerio';
import { decodeHtml } from './decode-html';
import { normalizeUrl } from './normalize-url';

/** The audit facts of one HTML page; the document itself is not kept. */
export interface ParsedPage {
  /** WHATWG name of the encoding the page was decoded with. */
  readonly charset: string;
  /** `<title>` in `<head>`, whitespace collapsed and trimmed; `null` if missing or empty. */
  readonly title: string | null;
  /** `<meta name="description">` content, whitespace collapsed; `null` if missing or empty. */
  readonly metaDescription: string | null;
  readonly h1Count: number;
  /** Absolute URL of `<link rel="canonical" href>`, or `null`. */
  readonly canonical: string | null;
  /** `<html lang>`, trimmed, or `null`. */
  readonly lang: string | null;
  /** `<img>` elements with no `alt` attribute (`alt=""` marks a decorative image: fine). */
  readonly imagesWithoutAlt: number;
  /** A `<meta name="robots|googlebot">` says `noindex` or `none`. */
  readonly noindexMeta: boolean;
  /** Every `<a href>` target, normalised (see `normalizeUrl`), one per anchor, in order. */
  readonly links: string[];
  /** Distinct normalised URLs of images, scripts, stylesheets, icons, media and frames. */
  readonly resources: string[];
}

// `<link rel>` tokens whose target the page loads or points browsers at as a file.
const RESOURCE_LINK_RELS = new Set([
  'stylesheet',
  'icon',
  'apple-touch-icon',
  'apple-touch-icon-precomposed',
  'mask-icon',
  'manifest',
  'preload',
  'modulepreload',
]);

// Elements and attributes holding one resource URL each.
const RESOURCE_ATTRIBUTES: ReadonlyArray<readonly [selector: string, attribute: string]> = [
  ['img[src]', 'src'],
  ['script[src]', 'src'],
  ['source[src]', 'src'],
  ['video[src]', 'src'],
  ['video[poster]', 'poster'],
  ['audio[src]', 'src'],
  ['track[src]', 'src'],
  ['embed[src]', 'src'],
  ['iframe[src]', 'src'],
  ['object[data]', 'data'],
  ['input[type="image" i][src]', 'src'],
];

/**
 * Decodes an HTML body (see `decodeHtml` for the charset rules) and extracts what the audit
 * needs. URLs are resolved against the document's base URL: the first `<base href>`, else
 * `url`. Only `http:`/`https:` targets are kept.
 *
 * @param body - raw body bytes (content encoding already undone).
 * @param transportCharset - `charset` of the `Content-Type` header, or `null`.
 * @param url - the URL the body came from (after redirects).
 */
export function parsePage(body: Buffer, transportCharset: string | null, url: string): ParsedPage {
  const { $, charset } = decodeHtml(body, transportCharset);
  const base = documentBase($, url);
  const resolve = (value: string | undefined): string | null =>
    value === undefined ? null : normalizeUrl(value, base);

  const links: string[] = [];
  $('a[href]').each((_, el) => {
    const target = resolve($(el).attr('href'));
    if (target) links.push(target);
  });

  const resources = new Set<string>();
  const addResource = (value: string | undefined): void => {
    const target = resolve(value);
    if (target) resources.add(target);
  };
  for (const [selector, attribute] of RESOURCE_ATTRIBUTES) {
    $(selector).each((_, el) => addResource($(el).attr(attribute)));
  }
  $('img[srcset], source[srcset]').each((_, el) => {
    for (const candidate of parseSrcset($(el).attr('srcset') ?? '')) addResource(candidate);
  });
  $('link[href][rel]').each((_, el) => {
    const rels = ($(el).attr('rel') ?? '').toLowerCase().split(/\s+/);
    if (rels.some((rel) => RESOURCE_LINK_RELS.has(rel))) addResource($(el).attr('href'));
  });

  let canonical: string | null = null;
  $('link[href][rel]').each((_, el) => {
    const rels = ($(el).attr('rel') ?? '').toLowerCase().split(/\s+/);
    if (canonical === null && rels.includes('canonical')) {
      try {
        canonical = new URL(($(el).attr('href') ?? '').trim(), base).href;
      } catch {
        // An unparseable canonical is as good as none.
      }
    }
  });

  const noindexMeta = $('meta[name][content]')
    .toArray()
    .some((el) => {
      const name = ($(el).attr('name') ?? '').trim().toLowerCase();
      if (name !== 'robots' && name !== 'googlebot') return false;
      return ($(el).attr('content') ?? '')
        .split(',')
        .map((d) => d.trim().toLowerCase())
        .some((d) => d === 'noindex' || d === 'none');
    });

  return {
    charset,
    title: clean($('head > title').first().text()),
    metaDescription: clean($('meta[name="description" i]').first().attr('content')),
    h1Count: $('h1').length,
    canonical,
    lang: clean($('html').first().attr('lang')),
    imagesWithoutAlt: $('img:not([alt])').length,
    noindexMeta,
    links,
    resources: [...resources],
  };
}

function clean(value: string | undefined): string | null {
  const text = (value ?? '').replace(/\s+/g, ' ').trim();
  return text === '' ? null : text;
}

function documentBase($: CheerioAPI, url: string): string {
  const href = $('base[href]').first().attr('href');
  if (href === undefined) return url;
  try {
    return new URL(href.trim(), url).href;
  } catch {
    return url;
  }
}

/**
 * The URLs of a `srcset` attribute, after the WHATWG parsing rules in short: a URL runs to the
 * next whitespace (trailing commas end it), then descriptors run to the next comma. Splitting on
 * every comma instead would cut `data:` URLs and URLs with commas into bogus relative links.
 */
function parseSrcset(srcset: string): string[] {
  const urls: string[] = [];
  let i = 0;
  while (i < srcset.length) {
    while (i < srcset.length && /[\s,]/.test(srcset[i])) i += 1;
    const start = i;
    while (i < srcset.length && !/\s/.test(srcset[i])) i += 1;
    let candidate = srcset.slice(start, i);
    if (candidate.endsWith(',')) {
      candidate = candidate.replace(/,+$/, '');
    } else {
      while (i < srcset.length && srcset[i] !== ',') i += 1;
    }
    if (candidate) urls.push(candidate);
  }
  return urls;
}
