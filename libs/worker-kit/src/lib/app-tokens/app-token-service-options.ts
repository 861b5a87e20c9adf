/**
 * Where a web app's internal token endpoint is and how a worker proves itself to it. The app
 * owns the users' OAuth grants; workers only ever hold short-lived access tokens asked for at
 * run time (never from job data).
 */
export interface AppTokenServiceOptions {
  /** The endpoint, e.g. `https://app.internal/internal/ads-tokens` (`EMAIL_TOKEN_URL`, `ADS_TOKEN_URL`). */
  readonly url: string;
  /** Shared secret sent as `Authorization: Bearer <secret>`. Never logged. */
  readonly secret: string;
  /**
   * The environment variable the secret came from (`EMAIL_TOKEN_SECRET`, `ADS_TOKEN_SECRET`):
   * named in the error when the endpoint refuses it, so the message says what to fix.
   */
  readonly secretVariable: string;
  /** Per request (ms); default 10000. */
  readonly timeoutMs?: number;
}
