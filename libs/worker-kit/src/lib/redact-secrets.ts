/**
 * Patterns of secrets that turn up inside free text (error messages, URLs in log lines):
 * credentials in a URL's authority, bearer/basic tokens, and `token=`/`key=`-style query
 * parameters. Object fields are handled by pino's `redact` paths; this covers strings.
 */
// Each pattern with a substring its every match contains: most text (a log message such as "job
// completed") holds none of them, and `includes` is far cheaper than running the expression.
const SECRET_PATTERNS: readonly [RegExp, string, string][] = [
  [/(\b[a-z][a-z0-9+.-]*:\/\/[^:/?#\s@]*:)[^@/\s]+@/gi, '$1***@', '@'],
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/g, '$1 ***', 'B'],
  [/([?&](?:access_token|refresh_token|token|api_key|apikey|key|secret|password|signature)=)[^&#\s]+/gi, '$1***', '='],
];

/**
 * Registered secret values shorter than this many characters are ignored: replacing every
 * occurrence of a two-letter value would shred the logs while hiding nothing worth hiding.
 */
export const MIN_SECRET_CHARS = 4;

// Longest first, so a secret that contains another is replaced whole.
let knownSecrets: readonly string[] = [];

/**
 * Adds literal secret values (API keys, passwords, webhook secrets) that {@link redactSecrets}
 * replaces wherever they occur, whatever surrounds them: a provider echoing "you sent: sk-…"
 * without any `Bearer` in front is caught only this way. Each value is also registered in its
 * URL-encoded form. Values shorter than {@link MIN_SECRET_CHARS}, empty or undefined are skipped.
 *
 * One registry per process, like the one environment the values come from: the worker config
 * registers them as it loads, so the root logger and the worker's failure mapping (built from
 * that config) redact them without each caller passing them around.
 */
export function registerSecrets(values: Iterable<string | undefined>): void {
  const all = new Set(knownSecrets);
  for (const value of values) {
    if (!value || value.length < MIN_SECRET_CHARS) continue;
    all.add(value);
    const encoded = encodeURIComponent(value);
    if (encoded !== value) all.add(encoded);
  }
  knownSecrets = [...all].sort((a, b) => b.length - a.length);
}

/**
 * Returns `text` with every registered secret value ({@link registerSecrets}) and every secret
 * pattern above (URL passwords, bearer/basic tokens, `token=`-style parameters) replaced by `***`.
 * Known values cost one substring search each (no regular expression); a pattern runs only when
 * the text holds a character every match needs (`@`, `B`, `=`), so text with none of them costs
 * a few substring searches.
 */
export function redactSecrets(text: string): string {
  let out = text;
  for (const secret of knownSecrets) if (out.includes(secret)) out = out.split(secret).join('***');
  for (const [pattern, replacement, needed] of SECRET_PATTERNS) if (out.includes(needed)) out = out.replace(pattern, replacement);
  return out;
}
