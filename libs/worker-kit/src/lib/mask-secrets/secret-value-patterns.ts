/**
 * A secret as it turns up in free text: `pattern` (global) finds it, `keep` says which capture
 * groups around it stay (the secret itself is replaced by the mask), and `worthTrying` is a cheap
 * substring test every match needs, so text without it (most log lines) skips the expression.
 */
export interface SecretValuePattern {
  readonly name: string;
  readonly pattern: RegExp;
  /** Replacement with `$<mask>` where the mask goes, e.g. `$1$<mask>@`. */
  readonly replacement: string;
  readonly worthTrying: (text: string) => boolean;
}

// Every pattern here runs in time linear in the text (checked on 2 MiB adversarial strings in
// mask-secrets-linear-time.spec.ts). The rules that keep it so:
// - a pattern that begins with a run of characters starts only where such a run begins (a
//   negative lookbehind on the run's own characters), so no run is re-read from each of its
//   positions — the flaw of `\b[a-z][a-z0-9+.-]*:\/\/` on `a.a.a.a…`, quadratic;
// - a run between two fixed parts is bounded, or the character ending it is one the next
//   pattern start needs, so one start's scan never reaches past the next start;
// - no nested or overlapping quantifiers.
const BEARER = /(?<![A-Za-z0-9_-])(Bearer|bearer|BEARER|Basic|BASIC)([ \t]{1,8})[A-Za-z0-9._~+/-]{3,}=*/g;

/** The value patterns of the kit's maskers, in the order they run. */
export const SECRET_VALUE_PATTERNS: readonly SecretValuePattern[] = [
  {
    // PEM private keys, the whole block (to the end of the text when its END line was cut off).
    name: 'pem-private-key',
    pattern: /-----BEGIN[A-Z0-9 ]{0,40} PRIVATE KEY-----[\s\S]*?(?:-----END[A-Z0-9 ]{0,40} PRIVATE KEY-----|$)/g,
    replacement: '$<mask>',
    worthTrying: (text) => text.includes('PRIVATE KEY-----'),
  },
  {
    // Credentials in a URL's authority: scheme://user:password@host → the password. The scheme
    // (RFC 3986: a letter, then letters, digits, `+`, `.`, `-`) is bounded and must start where a
    // scheme can; the password runs to the last `@` before the path, query or fragment.
    name: 'url-password',
    pattern: /(?<![a-z0-9+.-])([a-z][a-z0-9+.-]{0,31}:\/\/[^\s:/?#@]*:)[^\s/?#]+@/gi,
    replacement: '$1$<mask>@',
    worthTrying: (text) => text.includes('://'),
  },
  {
    // HTTP Bearer/Basic credentials (RFC 6750 b64token, RFC 7617 base64), the scheme kept.
    name: 'bearer-basic',
    pattern: BEARER,
    replacement: '$1$2$<mask>',
    worthTrying: (text) => text.includes('earer') || text.includes('EARER') || text.includes('Basic') || text.includes('BASIC'),
  },
  {
    // JSON Web Tokens: base64url header (a JSON object, so always `eyJ`), payload, signature.
    name: 'jwt',
    pattern: /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g,
    replacement: '$<mask>',
    worthTrying: (text) => text.includes('eyJ'),
  },
  {
    // Provider keys by their documented prefixes: OpenAI/Anthropic `sk-…`; Stripe secret,
    // publishable and restricted keys `sk_live_`/`pk_live_`/`rk_live_` (and `_test_`), webhook
    // secrets `whsec_`; GitHub tokens `ghp_`/`gho_`/`ghu_`/`ghs_`/`ghr_` and `github_pat_`; Slack
    // `xoxb-`/`xoxp-`/…; Google API keys `AIza…`.
    name: 'provider-key',
    pattern:
      /(?<![A-Za-z0-9_-])(?:sk-[A-Za-z0-9_-]{16,}|[spr]k_(?:live|test)_[A-Za-z0-9]{10,}|whsec_[A-Za-z0-9+/=]{16,}|gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}|xox[abposr]-[A-Za-z0-9-]{10,}|AIza[A-Za-z0-9_-]{35})/g,
    replacement: '$<mask>',
    worthTrying: (text) => /sk-|k_live_|k_test_|whsec_|gh[pousr]_|github_pat_|xox|AIza/.test(text),
  },
  {
    // AWS access key ids (long-lived AKIA…, temporary ASIA…): 20 upper-case letters and digits.
    name: 'aws-access-key-id',
    pattern: /(?<![A-Z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Z0-9])/g,
    replacement: '$<mask>',
    worthTrying: (text) => text.includes('AKIA') || text.includes('ASIA'),
  },
  {
    // Query parameters that carry credentials under names that are not secret words elsewhere:
    // `key=` (Google), `sig=`/`signature=` and S3/GCS pre-signed URLs' `X-Amz-Signature`,
    // `X-Amz-Credential`, `X-Goog-Signature`, `X-Goog-Credential`.
    name: 'query-credential',
    pattern: /([?&](?:key|sig|signature|x-amz-signature|x-amz-credential|x-goog-signature|x-goog-credential)=)[^&#\s"']+/gi,
    replacement: '$1$<mask>',
    worthTrying: (text) => text.includes('='),
  },
];
