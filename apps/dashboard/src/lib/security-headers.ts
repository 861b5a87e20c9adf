import type { RequestHandler } from 'express';

/**
 * Content-Security-Policy of every answer: everything from this origin only, so the ops UI sends
 * nothing to a third party (Bull Board's Google Fonts link is removed, see
 * without-third-party-fonts.ts); `'unsafe-inline'` styles because Bull Board's page and the
 * login form carry `<style>`/`style=` (no inline script is needed: Bull Board's inline
 * `<script type="application/json">` is data, not run); `data:` images for its icons; never
 * framed; forms post and `<base>` point only here.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "font-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "form-action 'self'",
].join('; ');

/**
 * Headers on every answer of the dashboard: {@link CONTENT_SECURITY_POLICY}, never framed
 * (clickjacking: `X-Frame-Options: DENY` besides CSP `frame-ancestors 'none'`), no MIME sniffing,
 * no referrer to other sites, and nothing stored by caches except Bull Board's static assets
 * (`/static/…`, no data in them).
 */
export const securityHeaders: RequestHandler = (req, res, next) => {
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'same-origin');
  if (!req.path.startsWith('/static/')) res.setHeader('Cache-Control', 'no-store');
  next();
};
