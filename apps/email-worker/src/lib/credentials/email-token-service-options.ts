import type { AppTokenServiceOptions } from '@jobs/worker-kit';

/** The email worker's token endpoint: `EMAIL_TOKEN_URL`, `EMAIL_TOKEN_SECRET`, a timeout (ms, default 10000). */
export type EmailTokenServiceOptions = Omit<AppTokenServiceOptions, 'secretVariable'>;

/** The kit's options for the email worker's endpoint: errors about the secret name `EMAIL_TOKEN_SECRET`. */
export function emailTokenService(options: EmailTokenServiceOptions): AppTokenServiceOptions {
  return { ...options, secretVariable: 'EMAIL_TOKEN_SECRET' };
}
