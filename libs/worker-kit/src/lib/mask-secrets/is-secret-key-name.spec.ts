import { isSecretKeyName } from './is-secret-key-name';

describe('isSecretKeyName', () => {
  it.each([
    'password', 'Password', 'smtpPassword', 'DB_PASSWORD', 'db_passwd', 'passphrase', 'pass', 'dbPass', 'DB_PASS', 'pwd',
    'secret', 'clientSecret', 'client_secret', 'webhookSecret', 'secretKey', 'secret_key', 'aws_secret_access_key', 'AWS_SECRET_ACCESS_KEY',
    'accessKey', 'signingKey', 'privateKey', 'private_key', 'PRIVATE-KEY', 'encryptionKey',
    'token', 'accessToken', 'refresh_token', 'id-token', 'pageToken',
    'apiKey', 'api_key', 'X-Api-Key', 'x-api-key', 'openaiApiKey', 'apikey',
    'authorization', 'Proxy-Authorization', 'auth', 'basicAuth', 'proxy_auth',
    'cookie', 'Set-Cookie', 'credentials', 'credential', 'dsn', 'sentryDsn', 'SENTRY_DSN', 'db.password',
    // QA 6: session ids, one-time codes, signatures, short private keys, and secret words inside a key.
    'sessionId', 'session_id', 'SESSION-ID', 'userSessionId', 'otp', 'smsOtp', 'otp_code', 'signature', 'webhookSignature', 'x-hub-signature',
    'privKey', 'priv_key', 'sshPrivKeyPem', 'emailAccessTokenEncrypted', 'encryptedPassword', 'clientSecretRef', 'refreshTokenHash',
    'id_token_hint', 'idToken', 'googleIdTokens', 'apiKeyId', 'private_key_id', 'passphraseHint', 'db_passwd_file',
    // A key that holds a secret word anywhere is masked: when in doubt, mask.
    'secretName', 'passwordChangedAt', 'topSecretary.secret',
  ])('%s names a secret', (key) => expect(isSecretKeyName(key)).toBe(true));

  // Keys that only contain a secret word: masking them would destroy data an operator needs.
  it.each([
    'tokenCount', 'maxTokens', 'tokensUsed', 'pageTokens', 'keyword', 'passes', 'passed', 'bypass', 'compass', 'authorId', 'author', 'authorName',
    'monkey', 'key', 'idempotencyKey', 'cacheKey', 'cookiePolicy', 'secretary', 'secretaryName', 'footprint', 'paidTokens', 'validTokenCount',
    'session', 'sessionCount', 'identity', 'idx', 'ID', 'keyboard', 'hotpath', 'signatureCount', 'userId', 'email', 'websiteUrl', 'depth', 'name', 'attemptsMade', 'failedReason', 'stacktrace', '', '---',
  ])('%p does not', (key) => expect(isSecretKeyName(key)).toBe(false));
});
