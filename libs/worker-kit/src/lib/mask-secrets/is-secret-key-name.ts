// Endings of a key (lower-cased, `_`, `-`, `.` and spaces removed) that name a secret however the
// key goes on in front: `smtpPassword`, `client_secret`, `x-api-key`, `aws_secret_access_key`,
// `refreshToken`, `Set-Cookie`. Long or distinctive enough that a key ending in one is a secret.
// No `tokens` (`maxTokens`, `tokensUsed` are counts) and no bare `key` (`idempotencyKey`,
// `cacheKey`, `monkey`): the value patterns still catch a real key's value in any string.
const SECRET_ENDINGS = [
  'password',
  'passwords',
  'passwd',
  'passphrase',
  'secret',
  'secrets',
  'token',
  'apikey',
  'apikeys',
  'secretkey',
  'accesskey',
  'signingkey',
  'privatekey',
  'encryptionkey',
  'masterkey',
  'authorization',
  'cookie',
  'cookies',
  'credential',
  'credentials',
];

const NOT_ALNUM = /[^a-z0-9]+/g;
// Short names that are secrets only as a whole word, the key's last: `pass`, `db_pass`, `basicAuth`,
// `sentry-dsn`, but not `bypass`, `compass`, `oauthorize`, `authorId`, `author`.
const SECRET_LAST_WORDS = new Set(['pass', 'pwd', 'auth', 'dsn']);

// The last letters of every secret name: a key ending in another letter or a digit is no secret.
const LAST_CHARS = new Set([...SECRET_ENDINGS, ...SECRET_LAST_WORDS].map((name) => name.charCodeAt(name.length - 1)));

/**
 * True when an object key (or the `key` of `key=value` in text) names a secret, whatever its case
 * and style (camelCase, snake_case, kebab-case, dotted paths such as `db.password`): it ends in
 * password, passwd, passphrase, secret, token, apiKey, secretKey, accessKey, signingKey,
 * privateKey, encryptionKey, masterKey, authorization, cookie or credential(s) — so also
 * `accessToken`, `refresh_token`, `clientSecret`, `x-api-key`, `aws_secret_access_key`,
 * `set-cookie` — or its last word is `pass`, `pwd`, `auth` or `dsn`.
 *
 * Keys that only contain such a word keep their values (`tokenCount`, `maxTokens`, `keyword`,
 * `passes`, `authorId`, `author`, `monkey`, `bypass`): masking them would destroy data an operator
 * needs. A key ending in `token` that is not a secret (`pageToken`) is masked all the same: when in
 * doubt, mask.
 */
export function isSecretKeyName(key: string): boolean {
  // Called for every key of megabytes of job data and every `:`/`=` of a text: the common "no"
  // is a few `endsWith` on the joined lower-case key; only a key ending in a short word is split.
  const last = key.charCodeAt(key.length - 1) | 0x20; // lower case of a letter; digits stay as they are
  if (((last >= 97 && last <= 122) || (last >= 48 && last <= 57)) && !LAST_CHARS.has(last)) return false;
  const joined = key.toLowerCase().replace(NOT_ALNUM, '');
  if (SECRET_ENDINGS.some((ending) => joined.endsWith(ending))) return true;
  if (![...SECRET_LAST_WORDS].some((word) => joined.endsWith(word))) return false;
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/);
  const lastWord = words.filter((word) => word !== '').pop();
  return lastWord !== undefined && SECRET_LAST_WORDS.has(lastWord);
}
