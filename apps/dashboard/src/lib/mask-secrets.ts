import { redactSecrets } from '@jobs/worker-kit';

/** What a masked value is replaced by. */
export const MASK = '[redacted]';

// Key names (lower case, `_`/`-` removed) whose values are secrets, matched at the end of the
// key: `password`, `smtpPassword`, `client_secret`, `x-api-key`, `refreshToken`.
const SECRET_KEY_ENDINGS = [
  'password',
  'passwd',
  'secret',
  'token',
  'apikey',
  'authorization',
  'cookie',
  'credential',
  'credentials',
  'privatekey',
  'accesstoken',
  'refreshtoken',
  'clientsecret',
];

/** True when an object key names a secret (case-insensitive, camelCase, snake_case or kebab-case). */
export function isSecretKey(key: string): boolean {
  const k = key.toLowerCase().replace(/[_-]/g, '');
  return SECRET_KEY_ENDINGS.some((ending) => k.endsWith(ending));
}

const KEY_NAMES = String.raw`(?:password|passwd|pwd|secret|client[_-]?secret|token|access[_-]?token|refresh[_-]?token|id[_-]?token|api[_-]?key|apikey|private[_-]?key|authorization|credentials?|cookie)`;

// Secrets as they turn up inside free text (failure messages, stack traces, log lines, strings in
// job data). Each with a replacement keeping what says what it was.
const VALUE_PATTERNS: readonly [RegExp, string | ((match: string, ...groups: string[]) => string)][] = [
  // PEM private keys, whole block.
  [/-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|$)/g, MASK],
  // HTTP credentials after a scheme.
  // (`*` too: the kit's `redactSecrets`, run first, writes `Bearer ***`.)
  [/\b(Bearer|Basic)\s+(?!\[redacted\])[A-Za-z0-9._~+/=*-]{3,}/gi, `$1 ${MASK}`],
  // An Authorization header written out, whatever its scheme (`Token …`, `Digest …`, none).
  [/(\bauthorization["']?\s*[:=]\s*["']?)([A-Za-z]+\s+)?[^\s"',;]+/gi, (_m, head: string, scheme?: string) => `${head}${scheme ?? ''}${MASK}`],
  // JSON Web Tokens (header.payload.signature, base64url; the header always starts `eyJ`).
  [/\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, MASK],
  // Provider keys: OpenAI `sk-…`, Stripe `sk_live_…`/`pk_live_…`/`rk_test_…`, GitHub `ghp_…`, Slack `xox?-…`.
  [/\b(?:sk|pk|rk)[-_][A-Za-z0-9_-]{16,}/g, MASK],
  [/\bgh[pousr]_[A-Za-z0-9]{20,}/g, MASK],
  [/\bxox[abposr]-[A-Za-z0-9-]{10,}/g, MASK],
  // AWS access key ids.
  [/\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/g, MASK],
  // scheme://user:password@host → the password.
  [/(\b[a-z][a-z0-9+.-]*:\/\/[^\s:/?#@]*:)[^\s@/]+@/gi, `$1${MASK}@`],
  // key=value, key: value, "key":"value" where the key names a secret.
  [new RegExp(String.raw`((?<![A-Za-z0-9])${KEY_NAMES}["']?\s*[:=]\s*["']?)(?!\[redacted\]|[A-Za-z]+\s+\[redacted\])[^\s"'&,;)}\]]+`, 'gi'), `$1${MASK}`],
];

/**
 * `text` with every secret-looking value masked: first the kit's `redactSecrets` (values
 * registered from the environment, URL passwords, bearer tokens, `token=` parameters → `***`),
 * then the patterns above, which also turn its `***` into `[redacted]`.
 */
export function maskSecretText(text: string): string {
  let out = redactSecrets(text);
  for (const [pattern, replacement] of VALUE_PATTERNS) out = out.replace(pattern, replacement as (match: string, ...groups: string[]) => string);
  return out;
}

const MAX_DEPTH = 64;

/**
 * A copy of a JSON value fit for the browser: the value of every key that names a secret
 * ({@link isSecretKey}) replaced by `"[redacted]"` whatever it held, and every string masked by
 * {@link maskSecretText}. Deeper than 64 levels, the rest is replaced whole (no job data legitimately nests so far).
 */
export function maskSecrets(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return maskSecretText(value);
  if (value === null || typeof value !== 'object') return value;
  // What JSON.stringify would write (a Date's string), masked as such.
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return maskSecrets((value as { toJSON(): unknown }).toJSON(), depth + 1);
  if (depth >= MAX_DEPTH) return MASK;
  if (Array.isArray(value)) return value.map((v) => maskSecrets(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    out[key] = isSecretKey(key) && v !== null && v !== undefined && v !== '' ? MASK : maskSecrets(v, depth + 1);
  }
  return out;
}
