/**
 * Names of environment variables whose values are secrets: ending in `KEY`, `SECRET`, `TOKEN`,
 * `PASSWORD`/`PASSWD`/`PWD`, `CREDENTIAL(S)` or `AUTH`, or containing `PASSWORD` or `SECRET`
 * anywhere (`REDIS_PASSWORD`, `OPENAI_API_KEY`, `APIFY_TOKEN`, `EMAIL_WEBHOOK_SECRET`).
 * `EMAIL_TOKEN_URL` is not one: it ends in `URL`; nor are the shell's `PWD` and `OLDPWD` (the
 * working directory: masking it would hide every path in logs and stack traces).
 */
export const SECRET_ENV_NAME = /(?:KEY|SECRET|TOKEN|PASSWORD|PASSWD|PWD|CREDENTIALS?|AUTH)$|PASSWORD|SECRET/i;

/** Names {@link SECRET_ENV_NAME} matches that are not secrets: the shell's working directories. */
const NOT_SECRET_ENV_NAMES = new Set(['PWD', 'OLDPWD']);

/**
 * The secret values in an environment, for `registerSecrets`: the value of every variable named
 * like a secret ({@link SECRET_ENV_NAME}), and the user name's password in any value that is a
 * URL with credentials (`REDIS_URL=redis://:pw@host`, a `DATABASE_URL`). Empty values are left out.
 * @param env - the environment as read by a config module (never reads `process.env` itself).
 */
export function secretValuesFromEnv(env: Readonly<Record<string, string | undefined>>): string[] {
  const secrets: string[] = [];
  for (const [name, value] of Object.entries(env)) {
    if (!value) continue;
    if (SECRET_ENV_NAME.test(name) && !NOT_SECRET_ENV_NAMES.has(name)) secrets.push(value);
    // Cheap pre-check: only values that look like `scheme://…@…` are parsed as URLs.
    if (value.includes('://') && value.includes('@')) {
      try {
        const url = new URL(value.trim());
        if (url.password) secrets.push(url.password, safeDecode(url.password));
      } catch {
        // Not a URL: nothing more to find in it.
      }
    }
  }
  return secrets;
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
