/**
 * What {@link maskSecrets} and {@link maskSecretsInText} write in place of a secret by default:
 * `[redacted]`, which says something was there (an empty string or `null` would read as "no
 * value"). The kit's `redactSecrets` (logs, span attributes, CLI lines) writes `***` instead.
 */
export const SECRET_MASK = '[redacted]';
