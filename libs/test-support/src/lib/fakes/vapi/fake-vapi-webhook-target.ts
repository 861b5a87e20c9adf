import type { FakeVapiCreateCallRequest } from './fake-vapi-create-call-dto';

/** Where one call's server messages go, with the headers sent along. */
export interface FakeVapiWebhookTarget {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
}

/** The server-wide webhook: Vapi's organisation (or phone number) server URL and its secret. */
export interface FakeVapiDefaultWebhook {
  readonly url: string | null;
  readonly secret?: string;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Resolves where a call's server messages go, in Vapi's order of precedence (assistant server
 * before phone number and organisation, docs.vapi.ai "Setting server URLs"): the call's
 * `assistantOverrides.server` or transient `assistant.server` (`url`, its `headers`, and the
 * legacy `secret` as `X-Vapi-Secret`), else the server-wide webhook with `X-Vapi-Secret: <secret>`
 * when a secret is set (the header Vapi's `serverUrlSecret` / `server.secret` is documented to
 * be sent as), else nowhere (`null`).
 */
export function resolveFakeVapiWebhookTarget(request: FakeVapiCreateCallRequest, fallback: FakeVapiDefaultWebhook): FakeVapiWebhookTarget | null {
  for (const holder of [request.assistantOverrides, request.assistant]) {
    const server = isObject(holder) ? holder['server'] : undefined;
    if (isObject(server) && typeof server['url'] === 'string' && server['url'] !== '') {
      const headers: Record<string, string> = {};
      if (isObject(server['headers'])) for (const [name, value] of Object.entries(server['headers'])) if (value != null) headers[name] = String(value);
      if (typeof server['secret'] === 'string') headers['X-Vapi-Secret'] = server['secret'];
      return { url: server['url'], headers };
    }
  }
  if (!fallback.url) return null;
  return { url: fallback.url, headers: fallback.secret === undefined ? {} : { 'X-Vapi-Secret': fallback.secret } };
}
