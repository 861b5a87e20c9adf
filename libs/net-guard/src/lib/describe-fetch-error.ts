/**
 * A one-line description of why a request failed, for `error` fields of pages and broken links:
 * the error's message, prefixed with its `code` (`ECONNREFUSED`, `UND_ERR_SOCKET` ...) when the
 * message does not already say it, and followed by its `cause`'s message when there is one.
 */
export function describeFetchError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const code = (err as NodeJS.ErrnoException).code;
  let text = err.message || err.name;
  if (code && !text.includes(code)) text = `${code}: ${text}`;
  if (err.cause instanceof Error && err.cause.message && !text.includes(err.cause.message)) {
    text += ` (${err.cause.message})`;
  }
  return text;
}
