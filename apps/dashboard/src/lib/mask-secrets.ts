import { isSecretKeyName, maskSecrets as maskWithKit, maskSecretsInText, SECRET_MASK } from '@jobs/worker-kit';

// The dashboard's names for the worker kit's one secret masker (the kit holds the rules; see
// libs/worker-kit/src/lib/mask-secrets): kept so the dashboard's modules import from one place.

/** What a masked value is replaced by: the kit's `SECRET_MASK`, `[redacted]`. */
export const MASK = SECRET_MASK;

/** True when an object key names a secret: the kit's `isSecretKeyName`. */
export function isSecretKey(key: string): boolean {
  return isSecretKeyName(key);
}

/** `text` with every secret-looking value replaced by `[redacted]`: the kit's `maskSecretsInText`. */
export function maskSecretText(text: string): string {
  return maskSecretsInText(text, MASK);
}

/**
 * A copy of a JSON value fit for the browser (Bull Board's API answers, job data and return
 * values): the kit's `maskSecrets` with `[redacted]` — secret keys' values replaced whole, every
 * string through `maskSecretText`. Linear in the size of the value.
 */
export function maskSecrets(value: unknown): unknown {
  return maskWithKit(value, { mask: MASK });
}
