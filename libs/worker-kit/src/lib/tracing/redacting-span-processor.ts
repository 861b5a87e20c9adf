import type { Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { redactSecrets } from '../redact-secrets';

/** Attributes holding a URL or its query, whose query values are replaced by `***`. */
export const URL_ATTRIBUTES: readonly string[] = ['url.full', 'url.query', 'http.url', 'http.target'];

/** `?a=1&access_token=x` → `?a=***&access_token=***`: parameter names kept, values never. */
function maskQuery(value: string): string {
  const at = value.indexOf('?');
  if (at < 0) return value;
  const hashAt = value.indexOf('#', at);
  const query = value.slice(at + 1, hashAt < 0 ? undefined : hashAt);
  const masked = query
    .split('&')
    .map((pair) => (pair === '' ? pair : `${pair.split('=')[0]}=***`))
    .join('&');
  return `${value.slice(0, at)}?${masked}`;
}

/**
 * Cleans every span before it is exported (`onEnding`, while the span can still change): query
 * values of URL attributes masked (providers take tokens in the query: Meta's `access_token`;
 * the HTTP instrumentation only masks a few signature parameters by default), and every string
 * attribute, event attribute and status message passed through `redactSecrets` (registered
 * secret values, bearer tokens, URL passwords). Request and response headers are never recorded
 * (the instrumentations are given no `headersToSpanAttributes`), so `Authorization` cannot be.
 * Listed first among the provider's processors, so exporters see only cleaned spans.
 */
export class RedactingSpanProcessor implements SpanProcessor {
  onStart(_span: Span, _parentContext: Context): void {
    // Attributes may still change until the span ends: cleaned once, in onEnding.
  }

  onEnding(span: Span): void {
    for (const [key, value] of Object.entries(span.attributes)) {
      if (typeof value !== 'string') continue;
      const cleaned = redactSecrets(URL_ATTRIBUTES.includes(key) ? maskQuery(value) : value);
      if (cleaned !== value) span.setAttribute(key, cleaned);
    }
    for (const event of span.events) {
      const attributes = event.attributes as Record<string, unknown> | undefined;
      if (!attributes) continue;
      for (const [key, value] of Object.entries(attributes)) if (typeof value === 'string') attributes[key] = redactSecrets(value);
    }
    if (span.status.message) span.setStatus({ code: span.status.code, message: redactSecrets(span.status.message) });
  }

  onEnd(_span: ReadableSpan): void {
    // Nothing: the spans were cleaned in onEnding.
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}
