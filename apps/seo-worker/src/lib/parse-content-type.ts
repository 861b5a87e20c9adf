/** A `Content-Type` header split into its parts. */
export interface ContentTypeParts {
  /** The essence, lower case, e.g. `text/html`; `null` when the header is missing or empty. */
  readonly mimeType: string | null;
  /** The `charset` parameter as given (unquoted, trimmed), or `null`. */
  readonly charset: string | null;
}

/**
 * Splits a `Content-Type` header value (`text/html; charset="ISO-8859-1"`) into its MIME type
 * and charset label. Never throws; odd values give `null` parts.
 */
export function parseContentType(header: string | null | undefined): ContentTypeParts {
  if (!header) return { mimeType: null, charset: null };
  const [essence, ...params] = header.split(';');
  const mimeType = essence.trim().toLowerCase() || null;
  let charset: string | null = null;
  for (const param of params) {
    const eq = param.indexOf('=');
    if (eq < 0) continue;
    if (param.slice(0, eq).trim().toLowerCase() !== 'charset') continue;
    const value = param
      .slice(eq + 1)
      .trim()
      .replace(/^"(.*)"$/, '$1')
      .trim();
    charset = value || null;
    break;
  }
  return { mimeType, charset };
}
