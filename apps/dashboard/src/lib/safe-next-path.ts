const ORIGIN = 'http://dashboard.invalid';

// Browsers drop tabs and newlines inside URLs, so `/\t/evil.example` would become `//evil.example`.
const hasControlCharacter = (text: string): boolean => [...text].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f);

/**
 * Where to send a user after login: `next` when it is a path on this dashboard under
 * `basePath` (kept with its query), else `basePath` itself — never another host, so a crafted
 * `?next=//evil.example` or `/\evil.example` cannot turn the login into an open redirect.
 * @param basePath - normalised (`/` or `/a/b`).
 */
export function safeNextPath(next: unknown, basePath: string): string {
  if (typeof next !== 'string' || !next.startsWith('/') || next.startsWith('//') || /[\\\s]/.test(next) || hasControlCharacter(next)) return basePath;
  let url: URL;
  try {
    url = new URL(next, ORIGIN);
  } catch {
    return basePath;
  }
  if (url.origin !== ORIGIN) return basePath;
  const inside = basePath === '/' || url.pathname === basePath || url.pathname.startsWith(`${basePath}/`);
  // The login page itself would only show the form again.
  const loginPath = `${basePath === '/' ? '' : basePath}/login`;
  if (!inside || url.pathname === loginPath) return basePath;
  return `${url.pathname}${url.search}`;
}
