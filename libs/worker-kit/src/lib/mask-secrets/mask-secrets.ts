import { isSecretKeyName } from './is-secret-key-name';
import { maskSecretsInText } from './mask-secrets-in-text';
import { SECRET_MASK } from './secret-mask';

/** Options of {@link maskSecrets}. */
export interface MaskSecretsOptions {
  /** What replaces a secret; default {@link SECRET_MASK} (`[redacted]`). */
  readonly mask?: string;
}

/** Below this depth the rest of a value is replaced whole: no job data legitimately nests so deep. */
const MAX_DEPTH = 64;

/**
 * A copy of a JSON-like value fit to show a person (dashboard responses, `jobs-cli show`): the
 * value of every key that names a secret (`isSecretKeyName`) replaced by the mask whatever it
 * held (a string, a number, a whole object), and every other string passed through
 * `maskSecretsInText` (registered values, URL passwords, bearer tokens, JWTs, provider keys,
 * `key=value` pairs). `null`, `undefined` and `''` under a secret key are kept (nothing to hide,
 * and the shape says "not set"). Objects with `toJSON` (dates) are masked as JSON would write
 * them; deeper than 64 levels, the rest becomes the mask. The input is not changed.
 */
export function maskSecrets(value: unknown, options: MaskSecretsOptions = {}): unknown {
  return maskValue(value, options.mask ?? SECRET_MASK, 0);
}

function maskValue(value: unknown, mask: string, depth: number): unknown {
  if (typeof value === 'string') return maskSecretsInText(value, mask);
  if (value === null || typeof value !== 'object') return value;
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return maskValue((value as { toJSON(): unknown }).toJSON(), mask, depth + 1);
  if (depth >= MAX_DEPTH) return mask;
  if (Array.isArray(value)) return value.map((item) => maskValue(item, mask, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    out[key] = isSecretKeyName(key) && item !== null && item !== undefined && item !== '' ? mask : maskValue(item, mask, depth + 1);
  }
  return out;
}
