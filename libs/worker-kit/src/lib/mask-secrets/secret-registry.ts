/**
 * Registered secret values shorter than this many characters are ignored: replacing every
 * occurrence of a two-letter value would shred the text while hiding nothing worth hiding.
 */
export const MIN_SECRET_CHARS = 4;

// Longest first, so a secret that contains another is replaced whole.
let knownSecrets: readonly string[] = [];

/**
 * Adds literal secret values (API keys, passwords, webhook secrets) that the kit's maskers
 * (`maskSecretsInText`, `maskSecrets`, `redactSecrets`) replace wherever they occur, whatever
 * surrounds them: a provider echoing "you sent: abc123…" without any `Bearer` or `key=` in front
 * is caught only this way. Each value is also registered in its URL-encoded form. Values shorter
 * than {@link MIN_SECRET_CHARS}, empty or undefined are skipped.
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

/** `text` with every registered value replaced by `mask`: one substring search per value, no regular expression. */
export function maskRegisteredSecrets(text: string, mask: string): string {
  let out = text;
  for (const secret of knownSecrets) if (out.includes(secret)) out = out.split(secret).join(mask);
  return out;
}
