import iconv from 'iconv-lite';

/** The charset raw 8-bit header bytes are read in when the message declares none usable. */
export const HEADER_FALLBACK_CHARSET = 'windows-1252';

// A header line is ASCII apart from its raw 8-bit bytes, so a charset fit to read one must give
// ASCII back unchanged. This probe (with the characters UTF-7 and UTF-16 read differently)
// rules those out without a hand-kept list of charset names.
const ASCII_PROBE = 'Subject: a+b-c=?x';

/**
 * The charset to read a header's raw 8-bit bytes in (bytes that are not valid UTF-8, carried
 * outside any RFC 2047 encoded-word), as an iconv-lite encoding name.
 *
 * `declared` is a charset the message itself names (a `Content-Type` charset parameter). Its
 * label is first resolved as the WHATWG Encoding Standard resolves it (Node's `TextDecoder`), so
 * `iso-8859-1`, `latin1` and `us-ascii` read as `windows-1252` as browsers read them (mailers
 * that declare Latin-1 often send windows-1252's curly quotes and dashes in 0x80–0x9F).
 *
 * Falls back to {@link HEADER_FALLBACK_CHARSET} when nothing is declared, when iconv-lite does
 * not know the charset, when it is UTF-8 (the bytes just proved not to be), and when it does
 * not read ASCII as ASCII (UTF-16, UTF-7). Never throws.
 */
export function headerCharset(declared: string | null): string {
  const label = declared?.trim().toLowerCase();
  if (!label) return HEADER_FALLBACK_CHARSET;
  let whatwgName: string | undefined;
  try {
    whatwgName = new TextDecoder(label).encoding;
  } catch {
    // Not a WHATWG label (e.g. `x-unknown`, `maccyrillic`): iconv-lite may still know it.
  }
  const name = [whatwgName, label].find((candidate) => candidate !== undefined && iconv.encodingExists(candidate));
  if (name === undefined || name === 'utf-8' || name === 'utf8') return HEADER_FALLBACK_CHARSET;
  return iconv.decode(Buffer.from(ASCII_PROBE, 'ascii'), name) === ASCII_PROBE ? name : HEADER_FALLBACK_CHARSET;
}
