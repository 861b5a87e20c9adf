import { RedisTlsError } from './redis-tls-error';

/** What the client was configured with, so a message can say which setting to change. */
export interface RedisTlsErrorContext {
  /** Host or address connected to (`REDIS_HOST` / `REDIS_URL`). */
  readonly host: string;
  /** Whether `REDIS_TLS_CA` was set (else only Node's public root CAs are trusted). */
  readonly caSet: boolean;
  /** `REDIS_TLS_SERVERNAME`, when set. */
  readonly servername?: string;
  /** Whether a client certificate (`REDIS_TLS_CERT`/`REDIS_TLS_KEY`) is sent. */
  readonly clientCertificateSet: boolean;
}

/**
 * Node's verification codes (OpenSSL's `X509_V_ERR_*` names without the prefix) meaning the
 * server's chain does not end at a trusted CA.
 */
const UNTRUSTED_CODES = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
]);
const EXPIRED_CODES = new Set(['CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID']);
/**
 * TLS alerts a server sends when it refuses the client's certificate (OpenSSL error codes as
 * Node reports them): none sent (TLS 1.3's `certificate_required`), or one it cannot verify.
 */
const CLIENT_REFUSED_CODES = new Set([
  'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED',
  'ERR_SSL_TLSV1_ALERT_UNKNOWN_CA',
  'ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE',
  'ERR_SSL_SSLV3_ALERT_CERTIFICATE_EXPIRED',
  'ERR_SSL_SSLV3_ALERT_CERTIFICATE_UNKNOWN',
  'ERR_SSL_TLSV1_ALERT_ACCESS_DENIED',
]);

/**
 * The {@link RedisTlsError} that explains `err`, a connection error from a TLS connection to
 * Redis, or undefined when `err` is not a certificate failure (a refused connection, a timeout:
 * those keep their own messages). Codes mapped: untrusted chain (`SELF_SIGNED_CERT_IN_CHAIN`,
 * `UNABLE_TO_VERIFY_LEAF_SIGNATURE`, `DEPTH_ZERO_SELF_SIGNED_CERT` …) → `REDIS_TLS_CA`;
 * `ERR_TLS_CERT_ALTNAME_INVALID` → `REDIS_TLS_SERVERNAME`; `CERT_HAS_EXPIRED` /
 * `CERT_NOT_YET_VALID` → the server's certificate (or this machine's clock); a client
 * certificate refused by the server's alert → `REDIS_TLS_CERT`/`REDIS_TLS_KEY`.
 */
export function redisTlsErrorFrom(err: unknown, context: RedisTlsErrorContext): RedisTlsError | undefined {
  // Duck-typed, not `instanceof Error`: Node's TLS errors may come from another realm (a test
  // sandbox such as jest's), where that check is false.
  if (typeof err !== 'object' || err === null || err instanceof RedisTlsError) return undefined;
  const { code, message } = err as { code?: unknown; message?: unknown };
  if (typeof code !== 'string' || typeof message !== 'string') return undefined;
  const cause = err as Error & { code: string };
  // OpenSSL's own errors carry a long "…:error:0A00045C:SSL routines:…" message and a short `reason`.
  const opensslReason = (err as { reason?: unknown }).reason;
  const reason = typeof opensslReason === 'string' ? opensslReason : message;
  if (UNTRUSTED_CODES.has(code)) {
    const why = context.caSet
      ? 'the CA in REDIS_TLS_CA did not sign it'
      : 'REDIS_TLS_CA is not set, so only the public root CAs Node ships are trusted';
    return new RedisTlsError(
      'untrusted',
      'REDIS_TLS_CA',
      `TLS: the Redis server's certificate is not trusted (${reason}): set REDIS_TLS_CA to the CA that signed it (${why})`,
      cause,
    );
  }
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    const name = context.servername ?? context.host;
    const fix = context.servername
      ? `set REDIS_TLS_SERVERNAME to a name the certificate lists (it is "${context.servername}")`
      : 'connect by a name or address the certificate lists, or set REDIS_TLS_SERVERNAME to one of its names';
    return new RedisTlsError(
      'name-mismatch',
      'REDIS_TLS_SERVERNAME',
      `TLS: the Redis server's certificate is not valid for "${name}" (${reason}): ${fix}`,
      cause,
    );
  }
  if (EXPIRED_CODES.has(code)) {
    return new RedisTlsError(
      'expired',
      undefined,
      `TLS: the Redis server's certificate is outside its validity period (${reason}): renew it on the server, or check this machine's clock; no REDIS_TLS_* setting can fix this`,
      cause,
    );
  }
  if (CLIENT_REFUSED_CODES.has(code)) {
    const fix = context.clientCertificateSet
      ? 'set REDIS_TLS_CERT and REDIS_TLS_KEY to a certificate signed by a CA the server trusts'
      : 'it asks for a client certificate: set REDIS_TLS_CERT and REDIS_TLS_KEY';
    return new RedisTlsError(
      'client-certificate-refused',
      'REDIS_TLS_CERT',
      `TLS: the Redis server refused this client's certificate (${reason}): ${fix}`,
      cause,
    );
  }
  return undefined;
}
