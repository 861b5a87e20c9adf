import type { RequestHandler, Response } from 'express';

// Bull Board's page (its index.ejs) links IBM Plex from fonts.googleapis.com: a request to Google
// from every browser that opens the ops UI (who, when, from where), and a failed load offline.
// Bull Board has no option to leave it out, so the rendered page is filtered; the UI then uses
// its CSS's fallback fonts. The Content-Security-Policy (security-headers.ts) would block the
// request anyway; removing the link also keeps the browser's console free of CSP reports.
const GOOGLE_FONTS_LINK = /<link\b[^>]*\bhref="https:\/\/fonts\.(?:googleapis|gstatic)\.com\/[^"]*"[^>]*>\s*/gi;

/**
 * Makes `res.render` (Bull Board's entry page, the only view it renders) send the page without
 * its `<link>` to Google Fonts. Render errors go to Express's error handler as before.
 */
export const withoutThirdPartyFonts: RequestHandler = (_req, res, next) => {
  const render = res.render.bind(res) as (view: string, options: object, callback: (err: Error | null, html: string) => void) => void;
  (res as Response).render = ((view: string, options?: object) => {
    render(view, options ?? {}, (err, html) => {
      if (err) return next(err);
      res.send(html.replace(GOOGLE_FONTS_LINK, ''));
    });
  }) as Response['render'];
  next();
};
