import type { RequestHandler } from 'express';

/**
 * Headers on every answer of the dashboard: never framed (clickjacking: `X-Frame-Options:
 * DENY` and CSP `frame-ancestors 'none'`, the only CSP directive set, since Bull Board's UI
 * needs its own scripts and styles), no MIME sniffing, no referrer to other sites, and nothing
 * stored by caches except Bull Board's static assets (`/static/…`, no data in them).
 */
export const securityHeaders: RequestHandler = (req, res, next) => {
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Content-Security-Policy', "frame-ancestors 'none'");
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'same-origin');
  if (!req.path.startsWith('/static/')) res.setHeader('Cache-Control', 'no-store');
  next();
};
