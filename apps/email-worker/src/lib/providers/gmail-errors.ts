import { parseRetryAfterMs } from '@jobs/worker-kit';
import { ProviderAuthError } from './provider-auth-error';
import { ProviderNotFoundError } from './provider-not-found-error';
import { ProviderRejectedError } from './provider-rejected-error';
import { ProviderThrottledError } from './provider-throttled-error';
import { ProviderUnavailableError } from './provider-unavailable-error';

interface GaxiosLikeError {
  status?: number;
  code?: string | number;
  message?: string;
  response?: { status?: number; headers?: unknown; data?: unknown };
}

function header(headers: unknown, name: string): string | null {
  if (!headers) return null;
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name);
  const value = (headers as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : null;
}

/** Gmail's `error.errors[0].reason` (e.g. `rateLimitExceeded`) and message, when present. */
function googleError(data: unknown): { reason: string | null; message: string | null } {
  const error = (data as { error?: { message?: unknown; errors?: { reason?: unknown }[] } } | undefined)?.error;
  const reason = error?.errors?.[0]?.reason;
  return { reason: typeof reason === 'string' ? reason : null, message: typeof error?.message === 'string' ? error.message : null };
}

/** Gmail's throttling reasons (developers.google.com/gmail/api/guides/handle-errors). */
const RATE_LIMIT_REASONS = new Set(['rateLimitExceeded', 'userRateLimitExceeded', 'quotaExceeded']);

/**
 * Maps an error thrown by `@googleapis/gmail` (a GaxiosError) to the worker's provider errors:
 * 401 → ProviderAuthError; 429, or 403 with a rate-limit reason → ProviderThrottledError (with
 * `Retry-After`); 404, and 400 `invalidArgument` "Invalid id value" (Gmail's answer to an id that
 * cannot be one of its ids, e.g. a Graph conversation id given to `threads.get`) →
 * ProviderNotFoundError; other 4xx → ProviderRejectedError; 5xx, network errors and timeouts →
 * ProviderUnavailableError. Anything else (an abort) passes through.
 */
export function mapGmailError(err: unknown, what: string): unknown {
  if (!(err instanceof Error)) return err;
  if (err.name === 'AbortError') return err;
  const e = err as GaxiosLikeError;
  const status = e.status ?? e.response?.status;
  const { reason, message } = googleError(e.response?.data);
  const detail = `Gmail ${what}: HTTP ${status ?? 'no response'}${reason ? ` ${reason}` : ''}${message ? ` (${message})` : ''}`;
  if (status === undefined) return new ProviderUnavailableError(`Gmail ${what} failed: ${err.message}`, { cause: err });
  if (status === 401) return new ProviderAuthError(detail, { cause: err });
  if (status === 429 || (status === 403 && reason !== null && RATE_LIMIT_REASONS.has(reason))) {
    return new ProviderThrottledError(parseRetryAfterMs(header(e.response?.headers, 'retry-after')), detail, { cause: err });
  }
  if (status === 404 || (status === 400 && reason === 'invalidArgument' && message === 'Invalid id value')) {
    return new ProviderNotFoundError(detail, { cause: err });
  }
  if (status >= 500) return new ProviderUnavailableError(detail, { cause: err });
  return new ProviderRejectedError(detail, { cause: err });
}
