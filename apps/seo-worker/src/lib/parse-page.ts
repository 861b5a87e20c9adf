import { decodeHtml } from './decode-html';
import { normalizeUrl } from './normalize-url';

/** The audit facts of one HTML page; the document itself is not kept. */
export interface ParsedPage {
  /** WHATWG name of the encoding the page was decoded with. */
  readonly charset: string;
  /**
   * The document title: the first `<title>` not inside `<svg>` or `<math>` (as
   * `document.title` picks it), whitespace collapsed and trimmed; `null` if missing or empty.
   */
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

// Elements whose `src` attribute names one resource each.
const SRC_ELEMENTS = new Set(['img', 'script', 'source', 'video', 'audio', 'track', 'embed', 'iframe']);

/** The parts of a DOM node's ancestry this module reads (domhandler's nodes have them). */
interface NodeLike {
  readonly name?: string;
  readonly parent: NodeLike | null;
}

/**
 * Decodes an HTML body (see `decodeHtml` for the charset rules) and extracts what the audit
 * needs. URLs are resolved against the document's base URL: the first `<base href>`, else
 * `url`. Only `http:`/`https:` targets are kept.
 *
 * Resources: `src` of img, script, source, video, audio, track, embed, iframe and
 * `<input type=image>`; `srcset` of img and source; video `poster`; object `data`;
 * `<link href>` whose `rel` has stylesheet, icon, apple-touch-icon(-precomposed), mask-icon,
 * manifest, preload or modulepreload.
 *
 * @param body - raw body bytes (content encoding already undone).
 * @param transportCharset - `charset` of the `Content-Type` header, or `null`.
 * @param url - the URL the body came from (after redirects).
 */
export function parsePage(body: Buffer, transportCharset: string | null, url: string): ParsedPage {
  const { $, charset } = decodeHtml(body, transportCharset);
  // One walk over the elements: a selector per fact would walk a large page twenty times.
  const rawLinks: string[] = [];
  const rawResources: string[] = [];
  let baseHref: string | undefined;
  let canonicalHref: string | undefined;
  let metaDescription: string | undefined;
  let noindexMeta = false;
  let h1Count = 0;
  let imagesWithoutAlt = 0;
  const elements = $('*').toArray();
  let titleText: string | undefined;
  let htmlLang: string | undefined;
  for (const el of elements) {
    if (!('attribs' in el)) continue; // `*` matches elements only; this narrows the type
    const tag = el.tagName;
    const attribs: Record<string, string | undefined> = el.attribs;
    if (tag === 'title' && titleText === undefined && !inForeignContent(el)) titleText = $(el).text();
    if (tag === 'html' && htmlLang === undefined) htmlLang = attribs.lang;
    if (tag === 'a') {
      if (attribs.href !== undefined) rawLinks.push(attribs.href);
      continue;
    }
    if (tag === 'h1') h1Count += 1;
    if (tag === 'img' && attribs.alt === undefined) imagesWithoutAlt += 1;
    if (SRC_ELEMENTS.has(tag) && attribs.src !== undefined) rawResources.push(attribs.src);
    if ((tag === 'img' || tag === 'source') && attribs.srcset !== undefined) {
      rawResources.push(...parseSrcset(attribs.srcset));
    }
    if (tag === 'video' && attribs.poster !== undefined) rawResources.push(attribs.poster);
    if (tag === 'object' && attribs.data !== undefined) rawResources.push(attribs.data);
    if (tag === 'input' && attribs.type?.toLowerCase() === 'image' && attribs.src !== undefined) {
      rawResources.push(attribs.src);
    }
    if (tag === 'base' && baseHref === undefined && attribs.href !== undefined) baseHref = attribs.href;
    if (tag === 'link' && attribs.href !== undefined && attribs.rel !== undefined) {
      const rels = attribs.rel.toLowerCase().split(/\s+/);
      if (canonicalHref === undefined && rels.includes('canonical')) canonicalHref = attribs.href;
      if (rels.some((rel) => RESOURCE_LINK_RELS.has(rel))) rawResources.push(attribs.href);
    }
    if (tag === 'meta' && attribs.name !== undefined && attribs.content !== undefined) {
      const name = attribs.name.trim().toLowerCase();
      if (name === 'description' && metaDescription === undefined) metaDescription = attribs.content;
      if ((name === 'robots' || name === 'googlebot') && hasNoindex(attribs.content)) noindexMeta = true;
    }
  }

  const base = baseHref === undefined ? url : (absoluteOrNull(baseHref, url) ?? url);
  const links: string[] = [];
  for (const href of rawLinks) {
    const target = normalizeUrl(href, base);
    if (target) links.push(target);
  }
  const resources = new Set<string>();
  for (const href of rawResources) {
    const target = normalizeUrl(href, base);
    if (target) resources.add(target);
  }

  return {
    charset,
    title: clean(titleText),
    metaDescription: clean(metaDescription),
    h1Count,
    canonical: canonicalHref === undefined ? null : absoluteOrNull(canonicalHref, base),
    lang: clean(htmlLang),
    imagesWithoutAlt,
    noindexMeta,
    links,
    resources: [...resources],
  };
}

/** Inside `<svg>` or `<math>`, where `<title>` is an element's tooltip, not the page's. */
function inForeignContent(el: NodeLike): boolean {
  for (let node = el.parent; node; node = node.parent) {
    if (node.name === 'svg' || node.name === 'math') return true;
  }
  return false;
}

function hasNoindex(content: string): boolean {
  return content
    .split(',')
    .map((d) => d.trim().toLowerCase())
    .some((d) => d === 'noindex' || d === 'none');
}

function clean(value: string | undefined): string | null {
  const text = (value ?? '').replace(/\s+/g, ' ').trim();
  return text === '' ? null : text;
}

function absoluteOrNull(href: string, base: string): string | null {
  try {
    return new URL(href.trim(), base).href;
  } catch {
    return null;
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
