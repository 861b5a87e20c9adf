import { maskSecretsInText } from './mask-secrets/mask-secrets-in-text';

export { MIN_SECRET_CHARS, registerSecrets } from './mask-secrets/secret-registry';

/**
 * Returns `text` with every secret the kit recognises replaced by `***`: the one rule set of
 * `maskSecretsInText` (registered values, URL passwords, bearer/basic credentials, JWTs,
 * provider keys, AWS key ids, PEM private keys, `key=value` pairs whose key names a secret),
 * written the way logs, span attributes and CLI lines have always shown a removed secret.
 * Linear in the length of `text`; a pattern runs only when the text holds a substring all its
 * matches need, so a plain log message costs a few substring searches.
 */
export function redactSecrets(text: string): string {
  return maskSecretsInText(text, '***');
}
