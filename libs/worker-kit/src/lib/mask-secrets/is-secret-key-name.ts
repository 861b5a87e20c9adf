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
  'sessionid',
  'signature',
];

// Words that name a secret wherever they stand in a key (joined, lower case), also in the middle:
// `emailAccessTokenEncrypted`, `encryptedPassword`, `clientSecretRef`, `passwordChangedAt`. Only
// words no ordinary name contains; `secretary` is the one English word with `secret` in it and is
// let through below. `idtoken` is not here: `paidTokens`, `validTokenCount` contain it (it is
// matched as the words id + token instead).
const SECRET_ANYWHERE = [
  'accesstoken',
  'refreshtoken',
  'password',
  'passwd',
  'passphrase',
  'secret',
  'apikey',
  'privatekey',
  'privkey',
  'clientsecret',
];

const NOT_ALNUM = /[^a-z0-9]+/g;
// Short names that are secrets only as a whole word, the key's last: `pass`, `db_pass`, `basicAuth`,
// `sentry-dsn`, but not `bypass`, `compass`, `oauthorize`, `authorId`, `author`.
const SECRET_LAST_WORDS = new Set(['pass', 'pwd', 'auth', 'dsn']);
// Short names that are secrets as a whole word anywhere in the key: `otp`, `smsOtp`, `otpCode`
// (not `footprint`).
const SECRET_WORDS = new Set(['otp']);

/** `word` in `joined` at least once not as the start of `secretary`/`secretariat`. */
function containsSecretWord(joined: string, word: string): boolean {
  if (word !== 'secret') return joined.includes(word);
  for (let at = joined.indexOf(word); at !== -1; at = joined.indexOf(word, at + 1)) {
    if (!joined.startsWith('secretar', at)) return true;
  }
  return false;
}

/** The words of a key: camelCase, PascalCase, snake_case, kebab-case and dotted parts split, lower case. */
function wordsOf(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word !== '');
}

/**
 * True when an object key (or the `key` of `key=value` in text) names a secret, whatever its case
 * and style (camelCase, snake_case, kebab-case, dotted paths such as `db.password`):
 * - it contains, anywhere, password, passwd, passphrase, secret (not secretary), accessToken,
 *   refreshToken, apiKey, privateKey, privKey or clientSecret (`emailAccessTokenEncrypted`,
 *   `encryptedPassword`, `clientSecretRef`, `passwordChangedAt`);
 * - or it ends in token, secretKey, accessKey, signingKey, encryptionKey, masterKey,
 *   authorization, cookie(s), credential(s), sessionId or signature (`refresh_token`, `x-api-key`,
 *   `aws_secret_access_key`, `set-cookie`, `session_id`);
 * - or it has the words id + token (`idToken`, `id_token_hint`) or the word otp anywhere;
 * - or its last word is `pass`, `pwd`, `auth` or `dsn`.
 *
 * Keys that only contain such a word keep their values (`tokenCount`, `maxTokens`, `keyword`,
 * `passes`, `authorId`, `author`, `monkey`, `idempotencyKey`, `cacheKey`, `bypass`,
 * `secretaryName`): masking them would destroy data an operator needs. A key ending in `token`
 * that is not a secret (`pageToken`) is masked all the same: when in doubt, mask.
 */
export function isSecretKeyName(key: string): boolean {
  // Called for every key of megabytes of job data and every `:`/`=` of a text: the common "no"
  // is a few `includes`/`endsWith` on the joined lower-case key; only a key holding a short word
  // (`pass`, `otp`, `id`+`token`) is split into words.
  const joined = key.toLowerCase().replace(NOT_ALNUM, '');
  if (joined.length < 3) return false;
  if (SECRET_ANYWHERE.some((word) => containsSecretWord(joined, word))) return true;
  if (SECRET_ENDINGS.some((ending) => joined.endsWith(ending))) return true;
  const mayEndInWord = [...SECRET_LAST_WORDS].some((word) => joined.endsWith(word));
  const mayHoldWord = joined.includes('otp') || joined.includes('idtoken');
  if (!mayEndInWord && !mayHoldWord) return false;
  const words = wordsOf(key);
  const lastWord = words[words.length - 1];
  if (lastWord !== undefined && SECRET_LAST_WORDS.has(lastWord)) return true;
  return words.some(
    (word, i) => SECRET_WORDS.has(word) || word === 'idtoken' || word === 'idtokens' || (word === 'id' && /^tokens?$/.test(words[i + 1] ?? '')),
  );
}
