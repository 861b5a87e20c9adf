/**
 * Patterns of secrets that turn up inside free text (error messages, URLs in log lines):
 * credentials in a URL's authority, bearer/basic tokens, and `token=`/`key=`-style query
 * parameters. Object fields are handled by pino's `redact` paths; this covers strings.
 */
const SECRET_PATTERNS: readonly [RegExp, string][] = [
  [/(\b[a-z][a-z0-9+.-]*:\/\/[^:/?#\s@]*:)[^@/\s]+@/gi, '$1***@'],
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/g, '$1 ***'],
  [/([?&](?:access_token|refresh_token|token|api_key|apikey|key|secret|password|signature)=)[^&#\s]+/gi, '$1***'],
];

/** Returns `text` with the secrets above replaced by `***`. */
export function redactSecrets(text: string): string {
  let out = text;
  for (const [pattern, replacement] of SECRET_PATTERNS) out = out.replace(pattern, replacement);
  return out;
}
