const utf8Strict = new TextDecoder('utf-8', { fatal: true });

/**
 * Decodes `bytes` written in the MIME `charset` (any WHATWG encoding label; `us-ascii` reads as
 * windows-1252, as browsers do). Without a charset, or with one Node does not know, the bytes
 * are read as UTF-8 when valid, else as windows-1252, so nothing throws.
 */
export function decodeCharset(bytes: Uint8Array, charset?: string): string {
  if (charset) {
    try {
      return new TextDecoder(charset.trim().toLowerCase()).decode(bytes);
    } catch {
      // An unknown label: fall through to the guess below.
    }
  }
  try {
    return utf8Strict.decode(bytes);
  } catch {
    return new TextDecoder('windows-1252').decode(bytes);
  }
}

const hexValue = (byte: number | undefined): number => {
  if (byte === undefined) return -1;
  if (byte >= 0x30 && byte <= 0x39) return byte - 0x30;
  if (byte >= 0x41 && byte <= 0x46) return byte - 0x37;
  if (byte >= 0x61 && byte <= 0x66) return byte - 0x57;
  return -1;
};

/** Decodes quoted-printable (RFC 2045 §6.7): `=XX` escapes and `=` soft line breaks; a stray `=` is kept. */
export function decodeQuotedPrintable(input: Uint8Array): Buffer {
  const out = Buffer.alloc(input.length);
  let o = 0;
  for (let i = 0; i < input.length; i++) {
    const byte = input[i];
    if (byte !== 0x3d) {
      out[o++] = byte;
      continue;
    }
    const high = hexValue(input[i + 1]);
    const low = hexValue(input[i + 2]);
    if (high >= 0 && low >= 0) {
      out[o++] = high * 16 + low;
      i += 2;
      continue;
    }
    // A soft line break may carry trailing white space before its line end.
    let j = i + 1;
    while (input[j] === 0x20 || input[j] === 0x09) j++;
    if (input[j] === 0x0d && input[j + 1] === 0x0a) i = j + 1;
    else if (input[j] === 0x0a) i = j;
    else if (j >= input.length) i = j;
    else out[o++] = byte;
  }
  return out.subarray(0, o);
}

/** Undoes a `Content-Transfer-Encoding` (`base64`, `quoted-printable`; anything else is identity). */
export function decodeTransferEncoding(body: Buffer, encoding: string | undefined): Buffer {
  switch (encoding?.trim().toLowerCase()) {
    case 'base64':
      return Buffer.from(body.toString('latin1'), 'base64');
    case 'quoted-printable':
      return decodeQuotedPrintable(body);
    default:
      return body;
  }
}

const ENCODED_WORD = /=\?([^?\s]+)\?([bBqQ])\?([^?\s]*)\?=/g;

const decodeWordBytes = (encoding: string, text: string): Buffer =>
  encoding.toUpperCase() === 'B'
    ? Buffer.from(text, 'base64')
    : decodeQuotedPrintable(Buffer.from(text.replace(/_/g, ' '), 'latin1'));

/**
 * Decodes RFC 2047 encoded words (`=?utf-8?B?...?=`, `=?iso-8859-1?Q?...?=`) in a header value.
 * White space between two encoded words is dropped and adjacent words in one charset are joined
 * before decoding, so a multi-byte character split across words survives (RFC 2047 §6.2).
 */
export function decodeEncodedWords(value: string): string {
  if (!value.includes('=?')) return value;
  let out = '';
  let pending: { charset: string; chunks: Buffer[] } | undefined;
  let last = 0;
  const flush = (): void => {
    if (pending) out += decodeCharset(Buffer.concat(pending.chunks), pending.charset);
    pending = undefined;
  };
  for (const match of value.matchAll(ENCODED_WORD)) {
    const between = value.slice(last, match.index);
    const onlySpace = /^\s*$/.test(between);
    // RFC 2231 lets a language follow the charset: `utf-8*en`.
    const charset = match[1].split('*')[0];
    const bytes = decodeWordBytes(match[2], match[3]);
    if (pending && onlySpace && pending.charset.toLowerCase() === charset.toLowerCase()) {
      pending.chunks.push(bytes);
    } else {
      const followsWord = pending !== undefined;
      flush();
      if (!(followsWord && onlySpace)) out += between;
      pending = { charset, chunks: [bytes] };
    }
    last = match.index + match[0].length;
  }
  flush();
  return out + value.slice(last);
}
