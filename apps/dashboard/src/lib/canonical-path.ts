/**
 * A request path in the one spelling the guards compare against: each segment percent-decoded
 * (a segment that does not decode is kept as sent), cut at its first `;` (matrix parameters),
 * lower-cased, empty segments dropped (so `//`, a trailing `/` and `/./`-free doubles collapse),
 * and `.` segments dropped; e.g. `/API//queues/Email/%41dd/` → `/api/queues/email/add`.
 *
 * Why: Express's routers (ours and Bull Board's) match paths case-insensitively and ignore a
 * trailing slash, so a guard comparing `req.path` as sent can be walked around with `/API/…` or
 * `/ADD`. Decoding here errs towards refusing more: a guard that sees `add` where the router saw
 * `%61dd` refuses a request the router would not even have matched.
 * @param path - `req.path` (no query string).
 * @returns a path starting with `/`; `/` for an empty one.
 */
export function canonicalPath(path: string): string {
  const segments: string[] = [];
  for (const raw of path.split('/')) {
    let segment = raw;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      // A malformed escape stays as sent.
    }
    for (const part of segment.split('/')) {
      const value = (part.split(';')[0] ?? '').toLowerCase();
      if (value !== '' && value !== '.') segments.push(value);
    }
  }
  return `/${segments.join('/')}`;
}

/** Whether `path` (any spelling) is the Bull Board API (`/api` or under it), per {@link canonicalPath}. */
export function isApiPath(path: string): boolean {
  const canonical = canonicalPath(path);
  return canonical === '/api' || canonical.startsWith('/api/');
}
