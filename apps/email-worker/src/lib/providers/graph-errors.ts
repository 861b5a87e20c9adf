import { parseRetryAfterMs } from '@jobs/worker-kit';
import { CursorExpiredError } from './cursor-expired-error';
import { ProviderAuthError } from './provider-auth-error';
import { ProviderNotFoundError } from './provider-not-found-error';
import { ProviderRejectedError } from './provider-rejected-error';
import { ProviderThrottledError } from './provider-throttled-error';
import { ProviderUnavailableError } from './provider-unavailable-error';

interface GraphLikeError {
  statusCode?: number;
  code?: string | null;
  message?: string;
  headers?: Headers;
}

/**
 * Maps an error thrown by `@microsoft/microsoft-graph-client` (a GraphError) to the worker's
 * provider errors: 401 → ProviderAuthError; 429 → ProviderThrottledError with `Retry-After`
 * (learn.microsoft.com/graph/throttling); 410 → CursorExpiredError (an expired delta token,
 * learn.microsoft.com/graph/delta-query-overview); 404 → ProviderNotFoundError; other 4xx →
 * ProviderRejectedError; 5xx and no answer (statusCode -1) → ProviderUnavailableError.
 */
export function mapGraphError(err: unknown, what: string): unknown {
  if (!(err instanceof Error) || err.name === 'AbortError') return err;
  const e = err as GraphLikeError;
  const status = typeof e.statusCode === 'number' && e.statusCode > 0 ? e.statusCode : undefined;
  const detail = `Microsoft Graph ${what}: HTTP ${status ?? 'no response'}${e.code ? ` ${e.code}` : ''} (${err.message})`;
  if (status === undefined) return new ProviderUnavailableError(detail, { cause: err });
  if (status === 401) return new ProviderAuthError(detail, { cause: err });
  if (status === 429) return new ProviderThrottledError(parseRetryAfterMs(e.headers?.get?.('retry-after')), detail, { cause: err });
  if (status === 410) return new CursorExpiredError(detail, { cause: err });
  if (status === 404) return new ProviderNotFoundError(detail, { cause: err });
  if (status >= 500) return new ProviderUnavailableError(detail, { cause: err });
  return new ProviderRejectedError(detail, { cause: err });
}
