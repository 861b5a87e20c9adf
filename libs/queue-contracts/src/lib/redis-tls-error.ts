/** What went wrong in a TLS handshake with Redis, as {@link RedisTlsError} classifies it. */
export type RedisTlsFailure =
  /** The server's certificate chain does not lead to a CA this client trusts. */
  | 'untrusted'
  /** The certificate is valid, but not for the name or address connected to. */
  | 'name-mismatch'
  /** The certificate has expired or is not valid yet. */
  | 'expired'
  /** The server (mutual TLS) refused this client's certificate, or got none. */
  | 'client-certificate-refused';

/**
 * A TLS handshake with Redis failed on a certificate, said so that an operator knows which
 * setting to fix, e.g. `TLS: the Redis server's certificate is not trusted (self-signed
 * certificate in certificate chain): set REDIS_TLS_CA to the CA that signed it …`.
 *
 * Raised in place of Node's TLS error by the connections `ioRedisOptions` makes (see
 * `RedisTlsConnector`), so it reaches every place a connection error surfaces: a producer's
 * `QueueUnavailableError` (as its message's reason and its `cause`), a worker's error log, a
 * failed start. Not transient in practice: reconnecting cannot help until the setting (or the
 * server's certificate) changes. `code` is Node's (e.g. `SELF_SIGNED_CERT_IN_CHAIN`), `cause`
 * Node's error, `variable` the setting to look at (undefined when no client setting can help,
 * as for an expired server certificate).
 */
export class RedisTlsError extends Error {
  override readonly name = 'RedisTlsError';
  readonly code: string;

  constructor(
    readonly failure: RedisTlsFailure,
    readonly variable: string | undefined,
    message: string,
    cause: Error & { code?: string },
  ) {
    super(message, { cause });
    this.code = cause.code ?? 'ERR_TLS';
  }
}
