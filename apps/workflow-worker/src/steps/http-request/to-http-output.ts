import type { JsonObject, JsonValue } from '@jobs/queue-contracts';
import type { GuardedResponse } from '@jobs/net-guard';

/** Response headers kept in a step's output: enough to follow up, nothing that may carry secrets. */
const KEPT_HEADERS = ['content-type', 'location'] as const;

/**
 * An `http_request` step's output from the final response:
 * `{ status, headers: { content-type?, location? }, body }`, where `body` is the parsed JSON when
 * the response says JSON (`application/json` or `*+json`) and parses, else the text (decoded with
 * the response's charset, UTF-8 when none or unknown); an empty body is `null`.
 */
export function toHttpOutput(response: GuardedResponse): JsonObject {
  const headers: JsonObject = {};
  for (const name of KEPT_HEADERS) {
    const value = response.headers[name];
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return { status: response.status, headers, body: readBody(response) };
}

function readBody(response: GuardedResponse): JsonValue {
  if (response.body.length === 0) return null;
  const contentType = String(response.headers['content-type'] ?? '').toLowerCase();
  const text = decodeText(response.body, /charset="?([^";\s]+)"?/.exec(contentType)?.[1]);
  const mediaType = contentType.split(';')[0]?.trim() ?? '';
  if (mediaType === 'application/json' || mediaType.endsWith('+json')) {
    try {
      return JSON.parse(text) as JsonValue;
    } catch {
      // Said JSON but is not: keep the text, which is what the server sent.
    }
  }
  return text;
}

function decodeText(body: Buffer, charset: string | undefined): string {
  try {
    return new TextDecoder(charset ?? 'utf-8').decode(body);
  } catch {
    return new TextDecoder('utf-8').decode(body);
  }
}
