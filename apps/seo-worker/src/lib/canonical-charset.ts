import { labelToName } from 'whatwg-encoding';

/**
 * The WHATWG Encoding Standard's name for a charset label, the one form every charset in an
 * audit result takes: `utf-8`, `utf8` and `UTF-8` all give `UTF-8`; `latin1` and `iso-8859-1`
 * give `windows-1252` (the standard decodes them so); `ks_c_5601-1987` gives `EUC-KR`.
 *
 * The mapping is whatwg-encoding's `labelToName` (https://encoding.spec.whatwg.org/#names-and-labels),
 * the same table encoding-sniffer uses to pick the encoding a page is decoded in, so a charset
 * read from a header and one found by sniffing a body come out alike.
 *
 * @param label - a charset label as found (case and surrounding whitespace are ignored), or `null`.
 * @returns the canonical name; `null` for `null` and for a label the standard does not know
 *   (and for `replacement` labels such as `iso-2022-kr`, which name no usable decoder): a
 *   browser would ignore such a label, so it tells the reader nothing.
 */
export function canonicalCharset(label: string | null): string | null {
  if (label === null) return null;
  return labelToName(label) ?? null;
}
