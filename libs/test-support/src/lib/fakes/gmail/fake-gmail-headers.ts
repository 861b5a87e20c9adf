import { decodeCharset, decodeEncodedWords } from '../shared/mime-decoding';

/** One header field as written: name as spelled, value unfolded and trimmed, encoded words left as they are. */
export interface MailHeader {
  readonly name: string;
  readonly value: string;
}

/** The header section of an RFC 5322 message or MIME part, and where its body starts. */
export interface HeaderBlock {
  /** In order, duplicates kept (e.g. every `Received`). */
  readonly headers: readonly MailHeader[];
  /** Byte offset of the body: just past the first empty line, or the end when there is none. */
  readonly bodyOffset: number;
}

/** RFC 5322 §3.6.8: printable US-ASCII except colon; rules out an mbox `From ` line. */
const FIELD_NAME = /^[\x21-\x39\x3b-\x7e]+$/;

const decodeLine = (bytes: Buffer): string => {
  for (const byte of bytes) if (byte >= 0x80) return decodeCharset(bytes);
  return bytes.toString('latin1');
};

/**
 * Reads the header section of `raw` (CRLF or bare LF line ends). Folded lines are joined; a line
 * that is neither a field nor a continuation (an mbox `From ` line, garbage) is skipped; 8-bit
 * bytes are read as UTF-8 when valid, else windows-1252.
 */
export function readHeaderBlock(raw: Buffer): HeaderBlock {
  const headers: Array<{ name: string; value: string }> = [];
  let pos = 0;
  let bodyOffset = raw.length;
  while (pos < raw.length) {
    const newline = raw.indexOf(0x0a, pos);
    const next = newline === -1 ? raw.length : newline + 1;
    let end = newline === -1 ? raw.length : newline;
    if (end > pos && raw[end - 1] === 0x0d) end--;
    if (end === pos) {
      bodyOffset = next;
      break;
    }
    const line = decodeLine(raw.subarray(pos, end));
    const current = headers[headers.length - 1];
    if ((line[0] === ' ' || line[0] === '\t') && current) {
      current.value += line;
    } else {
      const colon = line.indexOf(':');
      const name = line.slice(0, Math.max(colon, 0)).trimEnd();
      if (FIELD_NAME.test(name)) headers.push({ name, value: line.slice(colon + 1) });
    }
    pos = next;
  }
  return { headers: headers.map((h) => ({ name: h.name, value: h.value.trim() })), bodyOffset };
}

/** The value of the first header called `name` (case-insensitive), or `undefined`. */
export function firstHeader(headers: readonly MailHeader[], name: string): string | undefined {
  const wanted = name.toLowerCase();
  return headers.find((h) => h.name.toLowerCase() === wanted)?.value;
}

/** A structured header such as `Content-Type: text/plain; charset="utf-8"`. */
export interface ParameterizedHeader {
  /** The part before the first `;`, trimmed and lower-cased, e.g. `text/plain`. */
  readonly value: string;
  /** Parameters by lower-cased name, unquoted, RFC 2231 continuations and charsets applied. */
  readonly params: ReadonlyMap<string, string>;
}

const readParams = (text: string): Array<[string, string]> => {
  const params: Array<[string, string]> = [];
  let i = 0;
  while (i < text.length) {
    while (i < text.length && (text[i] === ';' || /\s/.test(text[i]))) i++;
    const nameStart = i;
    while (i < text.length && text[i] !== '=' && text[i] !== ';') i++;
    const name = text.slice(nameStart, i).trim().toLowerCase();
    if (text[i] !== '=') continue;
    i++;
    while (i < text.length && /\s/.test(text[i])) i++;
    let value = '';
    if (text[i] === '"') {
      i++;
      while (i < text.length && text[i] !== '"') {
        if (text[i] === '\\' && i + 1 < text.length) i++;
        value += text[i++];
      }
      i++;
    } else {
      const valueStart = i;
      while (i < text.length && text[i] !== ';') i++;
      value = text.slice(valueStart, i).trim();
    }
    if (name) params.push([name, value]);
  }
  return params;
};

const percentDecode = (text: string): Buffer => {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const hex = text[i] === '%' ? text.slice(i + 1, i + 3) : '';
    if (/^[0-9a-fA-F]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(text[i], 'utf8'));
    }
  }
  return Buffer.from(bytes);
};

/**
 * Splits a structured header into its value and parameters. Handles quoted strings, RFC 2231
 * extended and continued parameters (`filename*=utf-8''%E2%82%AC.pdf`, `name*0*=...; name*1*=...`)
 * and, as mail clients do, RFC 2047 encoded words inside quoted parameter values.
 */
export function parseParameterizedHeader(header: string): ParameterizedHeader {
  const semicolon = header.indexOf(';');
  const value = (semicolon === -1 ? header : header.slice(0, semicolon)).trim().toLowerCase();
  const params = new Map<string, string>();
  const sections = new Map<string, Array<{ index: number; extended: boolean; text: string }>>();
  for (const [name, text] of semicolon === -1 ? [] : readParams(header.slice(semicolon + 1))) {
    const extended = /^(.+?)(?:\*(\d+))?(\*)?$/.exec(name);
    if (extended && (extended[2] !== undefined || extended[3] !== undefined)) {
      const list = sections.get(extended[1]) ?? [];
      list.push({ index: Number(extended[2] ?? 0), extended: extended[3] !== undefined, text });
      sections.set(extended[1], list);
    } else {
      params.set(name, decodeEncodedWords(text));
    }
  }
  for (const [name, list] of sections) {
    list.sort((a, b) => a.index - b.index);
    let charset: string | undefined;
    const chunks = list.map((section, position) => {
      if (!section.extended) return Buffer.from(section.text, 'utf8');
      let text = section.text;
      if (position === 0) {
        const parts = /^([^']*)'[^']*'(.*)$/.exec(text);
        if (parts) {
          charset = parts[1] || undefined;
          text = parts[2];
        }
      }
      return percentDecode(text);
    });
    params.set(name, decodeCharset(Buffer.concat(chunks), charset));
  }
  return { value, params };
}
