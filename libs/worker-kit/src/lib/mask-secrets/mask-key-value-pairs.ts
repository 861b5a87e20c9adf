import { isSecretKeyName } from './is-secret-key-name';

// Written as a scan, not one regular expression: a pattern `key … [:=] … value` tried at every
// position re-reads the key's characters from each of them (quadratic on a long run of key
// characters). Here each `:`/`=` is found once and its key read backwards at most MAX_KEY_CHARS,
// stopping at the previous separator: linear in the text.
const SEPARATOR = /[:=]/g;
const MAX_KEY_CHARS = 64;
const MAX_GAP_CHARS = 4;

const isKeyChar = (c: number): boolean =>
  (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 /* _ */ || c === 45 /* - */ || c === 46; /* . */
const isGap = (c: number): boolean => c === 32 || c === 9;
const isQuote = (c: number): boolean => c === 34 || c === 39;
// Where an unquoted value ends: whitespace, quotes, and what separates it from what follows in
// query strings, JSON, headers and prose (`&`, `,`, `;`, closing brackets).
const ENDS_VALUE = new Set([...' \t\r\n"\'&,;)}]<>'].map((c) => c.charCodeAt(0)));
const URL_START = /^[a-z][a-z0-9+.-]{0,31}:\/\//i;
const isLetter = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 65 && c <= 90);

// Header names whose value is a scheme word and then the credentials (`Authorization: Token abc`):
// the scheme is kept, it says what kind of credentials were sent.
const hasScheme = (key: string): boolean => /auth(?:orization)?$/i.test(key);
// Cookie headers: the value is `a=1; b=2`, every pair of it secret, up to the end of the line.
const isCookieHeader = (key: string): boolean => /cookie$/i.test(key);

/**
 * `text` with the value of every `key=value`, `key: value`, `"key": "value"` and `'key'='value'`
 * whose key names a secret ({@link isSecretKeyName}) replaced by `mask`. A quoted value is masked
 * up to its closing quote (spaces included), an unquoted one up to whitespace, a quote, `&`, `,`,
 * `;` or a closing bracket; an `Authorization: Scheme credentials` keeps its scheme; a `Cookie:` /
 * `Set-Cookie:` value is masked to the end of the line. A value that already is `mask` is left.
 */
export function maskKeyValuePairs(text: string, mask: string): string {
  let out = '';
  let copied = 0; // text before this index is in `out`
  SEPARATOR.lastIndex = 0;
  for (let match = SEPARATOR.exec(text); match; match = SEPARATOR.exec(text)) {
    const sep = match.index;
    const key = readKeyBefore(text, sep, copied);
    if (!key || !isSecretKeyName(key)) continue;
    const value = findValue(text, sep + 1, key, mask);
    if (!value) continue;
    out += text.slice(copied, value.start) + mask;
    copied = value.end;
    SEPARATOR.lastIndex = value.end;
  }
  return copied === 0 ? text : out + text.slice(copied);
}

/** The key written before the separator at `sep` (after an optional quote and a few blanks), or ''. */
function readKeyBefore(text: string, sep: number, floor: number): string {
  let i = sep - 1;
  for (let gap = 0; i >= floor && gap < MAX_GAP_CHARS && isGap(text.charCodeAt(i)); gap++) i--;
  if (i >= floor && isQuote(text.charCodeAt(i))) i--;
  const end = i + 1;
  while (i >= floor && end - i <= MAX_KEY_CHARS && isKeyChar(text.charCodeAt(i))) i--;
  // A key starts with a letter: `--password` and `.password` are the key `password`.
  let start = i + 1;
  while (start < end && !isLetter(text.charCodeAt(start))) start++;
  return text.slice(start, end);
}

/** Where the value after a separator at `from - 1` starts and ends, or undefined when there is none to mask. */
function findValue(text: string, from: number, key: string, mask: string): { start: number; end: number } | undefined {
  let i = from;
  for (let gap = 0; i < text.length && gap < MAX_GAP_CHARS && isGap(text.charCodeAt(i)); gap++) i++;
  const first = text.charCodeAt(i);
  if (isQuote(first)) {
    const start = i + 1;
    if (text.startsWith(mask, start)) return undefined;
    let end = start;
    // Up to the closing quote, past backslash escapes; a truncated value is masked to the end of the line.
    while (end < text.length && text.charCodeAt(end) !== first && text.charCodeAt(end) !== 10) end += text.charCodeAt(end) === 92 ? 2 : 1;
    end = Math.min(end, text.length);
    if (end === start) return undefined;
    return { start, end };
  }
  if (text.startsWith(mask, i)) return undefined;
  if (isCookieHeader(key)) {
    let end = i;
    while (end < text.length && text.charCodeAt(end) !== 10 && text.charCodeAt(end) !== 13 && !isQuote(text.charCodeAt(end))) end++;
    return end > i ? { start: i, end } : undefined;
  }
  let start = i;
  if (hasScheme(key)) {
    // `Scheme credentials`: skip a word of letters followed by blanks and more value.
    let j = i;
    while (j < text.length && j - i <= 32 && isLetter(text.charCodeAt(j))) j++;
    let k = j;
    while (k < text.length && k - j < MAX_GAP_CHARS && isGap(text.charCodeAt(k))) k++;
    if (j > i && k > j && k < text.length && !ENDS_VALUE.has(text.charCodeAt(k))) start = k;
  }
  if (text.startsWith(mask, start)) return undefined;
  // A URL (`credentials: https://user:pw@host/…` in an error message) keeps all but its password,
  // which the URL pattern has masked already; a DSN (`SENTRY_DSN=https://key@host/1`) is a secret whole.
  if (URL_START.test(text.slice(start, start + 40)) && !/dsn$/i.test(key)) return undefined;
  let end = start;
  while (end < text.length && !ENDS_VALUE.has(text.charCodeAt(end))) end++;
  return end > start ? { start, end } : undefined;
}
