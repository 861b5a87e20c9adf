import { registerSecrets } from './secret-registry';
import { maskSecretsInText } from './mask-secrets-in-text';

const JWT = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U';
const PEM = '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA7yn3bRHQ5FHMQ\nq4v8t9rY\n-----END RSA PRIVATE KEY-----';
const R = '[redacted]';

describe('maskSecretsInText', () => {
  it.each([
    // Value patterns.
    ['Request failed: Authorization: Bearer abc.def-123_456', `Request failed: Authorization: Bearer ${R}`],
    ['header Basic Ym9iOnB3ZA== sent', `header Basic ${R} sent`],
    [`token ${JWT} expired`, `token ${R} expired`],
    [`upstream said ${JWT}`, `upstream said ${R}`],
    ['OpenAI said: invalid key sk-proj-AbCdEfGhIjKlMnOpQrStUv', `OpenAI said: invalid key ${R}`],
    ['stripe pk_live_51HxAbCdEfGhIjKlMnOp and sk_test_4eC39HqLyjWDarjtT1zdp7dc, rk_live_0123456789abc', `stripe ${R} and ${R}, ${R}`],
    ['push refused for ghp_0123456789abcdefghij0123456789abcdef today', `push refused for ${R} today`],
    ['slack xoxb-1234567890-abcdefghij rejected', `slack ${R} rejected`],
    ['AWS AKIAIOSFODNN7EXAMPLE denied', `AWS ${R} denied`],
    [`key:\n${PEM}\nend`, `key:\n${R}\nend`],
    ['connect redis://default:s3cr3t-pw@redis.internal:6379 failed', `connect redis://default:${R}@redis.internal:6379 failed`],
    ['redis://:p@ss@host/0', `redis://:${R}@host/0`],
    ['GET https://api.example/x?key=AIzaSy0123&page=2', `GET https://api.example/x?key=${R}&page=2`],
    ['https://b.s3.amazonaws.com/o?X-Amz-Credential=AK%2F1&X-Amz-Signature=abc123', `https://b.s3.amazonaws.com/o?X-Amz-Credential=${R}&X-Amz-Signature=${R}`],
    // key=value pairs whose key names a secret.
    ['GET https://api.example/x?api_key=abcd1234&page=2', `GET https://api.example/x?api_key=${R}&page=2`],
    ['{"password":"hunter 22","user":"bob"}', `{"password":"${R}","user":"bob"}`],
    ['{"x-api-key": "k-123", "aws_secret_access_key":"wJalrXUtnFEMI/K7MDENG"}', `{"x-api-key": "${R}", "aws_secret_access_key":"${R}"}`],
    ["{'secretKey': 'abc', 'pass': 'p4ss', 'auth': 'u:p'}", `{'secretKey': '${R}', 'pass': '${R}', 'auth': '${R}'}`],
    ['private_key=MIIEvQIB rest', `private_key=${R} rest`],
    ['sessionId=s-9f2 otp=493021 signature=ab12 privKey=pk9 next', `sessionId=${R} otp=${R} signature=${R} privKey=${R} next`],
    ['{"emailAccessTokenEncrypted":"enc1","clientSecretRef":"r2","tokenCount":3}', `{"emailAccessTokenEncrypted":"${R}","clientSecretRef":"${R}","tokenCount":3}`],
    ['Authorization: Token abc123def', `Authorization: Token ${R}`],
    ['authorization=abc123def; next', `authorization=${R}; next`],
    ['client_secret: swordfish-42 next', `client_secret: ${R} next`],
    ['run --password=hunter2 --verbose', `run --password=${R} --verbose`],
    ['Cookie: sid=abc; theme=dark\nnext', `Cookie: ${R}\nnext`],
    ['SENTRY_DSN=https://abc123@o1.ingest.sentry.io/42', `SENTRY_DSN=${R}`],
    ['fetch refused: credentials: http://auditor:pw@127.0.0.1:80/x', `fetch refused: credentials: http://auditor:${R}@127.0.0.1:80/x`],
    // Left alone.
    ['nothing secret in here: 42 pages crawled', 'nothing secret in here: 42 pages crawled'],
    ['tokenCount=1200 maxTokens: 800 keyword=cheap author: Ann authorId=7 monkey=1 passes=3', 'tokenCount=1200 maxTokens: 800 keyword=cheap author: Ann authorId=7 monkey=1 passes=3'],
    ['see https://example.com/a?b=c#d at 12:30', 'see https://example.com/a?b=c#d at 12:30'],
  ])('%p', (input, expected) => expect(maskSecretsInText(input)).toBe(expected));

  it('is idempotent, and writes the mask it is given', () => {
    const text = 'Authorization: Bearer abc123 password=x {"token":"t"} https://u:pw@h/';
    const once = maskSecretsInText(text);
    expect(maskSecretsInText(once)).toBe(once);
    expect(maskSecretsInText(text, '***')).toBe('Authorization: Bearer *** password=*** {"token":"***"} https://u:***@h/');
    expect(maskSecretsInText('password=x', '$1$&')).toBe('password=$1$&');
  });

  it('masks values registered from the environment wherever they appear, and their URL-encoded form', () => {
    registerSecrets(['registered-value-9f8e7d', 'p@ss word/1']);
    expect(maskSecretsInText('provider echoed registered-value-9f8e7d back')).toBe(`provider echoed ${R} back`);
    expect(maskSecretsInText('q=p%40ss%20word%2F1')).toBe(`q=${R}`);
  });
});
