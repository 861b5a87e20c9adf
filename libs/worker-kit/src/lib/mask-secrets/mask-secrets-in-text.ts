import { maskKeyValuePairs } from './mask-key-value-pairs';
import { SECRET_MASK } from './secret-mask';
import { maskRegisteredSecrets } from './secret-registry';
import { SECRET_VALUE_PATTERNS } from './secret-value-patterns';

// Hand-written expressions rather than a secret-scanning library: the scanners on npm (e.g.
// secretlint's rules, detect-secrets ports) scan files for findings, not strings to rewrite,
// and none promises linear time; these are few, each with its rule documented where it is.

/**
 * `text` with every secret the kit recognises replaced by `mask` (default `[redacted]`):
 * - the values registered with `registerSecrets` (the environment's secrets), wherever they are;
 * - PEM private-key blocks, passwords in URLs (`redis://user:pw@host`), `Bearer`/`Basic`
 *   credentials, JSON Web Tokens, provider keys by prefix (`sk-`, `sk_live_`/`pk_live_`/`rk_live_`,
 *   `whsec_`, `ghp_`…, `github_pat_`, `xoxb-`…, `AIza…`), AWS access key ids (`AKIA…`/`ASIA…`),
 *   and `key=`/`sig=`/`X-Amz-Signature=`-style query parameters;
 * - the value of every `key=value`, `key: value` or `"key": "value"` whose key names a secret
 *   (`isSecretKeyName`: `password`, `DB_PASS`, `aws_secret_access_key`, `x-api-key`, …).
 *
 * Time is linear in the length of `text` (no expression backtracks over a run more than a
 * bounded number of times), so megabytes of job data cannot stall the event loop; each pattern
 * runs only when the text holds a substring all its matches need. Idempotent: a masked text
 * masked again is unchanged.
 */
export function maskSecretsInText(text: string, mask: string = SECRET_MASK): string {
  let out = maskRegisteredSecrets(text, mask);
  const literalMask = mask.replace(/\$/g, '$$$$');
  for (const { pattern, replacement, worthTrying } of SECRET_VALUE_PATTERNS) {
    if (worthTrying(out)) out = out.replace(pattern, replacement.split('$<mask>').join(literalMask));
  }
  if (out.includes(':') || out.includes('=')) out = maskKeyValuePairs(out, mask);
  return out;
}
