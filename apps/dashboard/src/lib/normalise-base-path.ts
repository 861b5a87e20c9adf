// Path segments an ingress passes through unchanged: RFC 3986 unreserved characters only, so
// the base path needs no encoding anywhere it is compared or written into a redirect.
const SEGMENT = /^[A-Za-z0-9._~-]+$/;

/**
 * The dashboard's base path in one form: `/` or `/a/b` (leading slash, no trailing slash, no
 * empty, `.` or `..` segment). `ops/queues/`, `/ops//queues` and `/ops/queues` all give
 * `/ops/queues`; `''` gives `/`.
 * @returns undefined when a segment holds anything but letters, digits and `- . _ ~`, or is `.`/`..`.
 */
export function normaliseBasePath(path: string): string | undefined {
  const segments = path.split('/').filter((s) => s !== '');
  if (segments.some((s) => !SEGMENT.test(s) || s === '.' || s === '..')) return undefined;
  return `/${segments.join('/')}`;
}
