import { redisTlsErrorFrom } from './redis-tls-error-from';
import { RedisTlsError } from './redis-tls-error';

const nodeError = (code: string, message: string, extra: Record<string, unknown> = {}) => Object.assign(new Error(message), { code, ...extra });
const context = { host: '10.0.0.5', caSet: true, clientCertificateSet: false };

describe('redisTlsErrorFrom', () => {
  it.each([
    ['SELF_SIGNED_CERT_IN_CHAIN', 'untrusted', 'REDIS_TLS_CA'],
    ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'untrusted', 'REDIS_TLS_CA'],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', 'untrusted', 'REDIS_TLS_CA'],
    ['ERR_TLS_CERT_ALTNAME_INVALID', 'name-mismatch', 'REDIS_TLS_SERVERNAME'],
    ['CERT_HAS_EXPIRED', 'expired', undefined],
    ['ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED', 'client-certificate-refused', 'REDIS_TLS_CERT'],
  ])('maps %s to %s, naming %s', (code, failure, variable) => {
    const mapped = redisTlsErrorFrom(nodeError(code, 'node says'), context);
    expect(mapped).toBeInstanceOf(RedisTlsError);
    expect(mapped).toMatchObject({ failure, variable, code, name: 'RedisTlsError' });
    expect(mapped?.message).toMatch(/^TLS: .*\(node says\)/);
    if (variable) expect(mapped?.message).toContain(variable);
  });

  it("uses OpenSSL's short reason over its long message", () => {
    const err = nodeError('ERR_SSL_TLSV1_ALERT_UNKNOWN_CA', '80:error:0A000418:SSL routines:…', { reason: 'tlsv1 alert unknown ca' });
    expect(redisTlsErrorFrom(err, { ...context, clientCertificateSet: true })?.message).toBe(
      "TLS: the Redis server refused this client's certificate (tlsv1 alert unknown ca): set REDIS_TLS_CERT and REDIS_TLS_KEY to a certificate signed by a CA the server trusts",
    );
  });

  it('says whether REDIS_TLS_CA was set', () => {
    expect(redisTlsErrorFrom(nodeError('SELF_SIGNED_CERT_IN_CHAIN', 'x'), { ...context, caSet: false })?.message).toContain('REDIS_TLS_CA is not set');
  });

  it('leaves other errors alone', () => {
    expect(redisTlsErrorFrom(nodeError('ECONNREFUSED', 'refused'), context)).toBeUndefined();
    expect(redisTlsErrorFrom(new Error('no code'), context)).toBeUndefined();
    expect(redisTlsErrorFrom('text', context)).toBeUndefined();
  });
});
