import type { IncomingMessage, ServerResponse } from 'node:http';
import finalhandler from 'finalhandler';
import { lookup } from 'mime-types';
import serveStatic from 'serve-static';

/**
 * A request listener serving the files under `root` as a plain static web server does
 * (serve-static): `/dir/` serves `dir/index.html`, `/dir` answers 301 to `/dir/`, a missing
 * file answers 404, the content type follows the extension. Used by tests and the demo to put a
 * folder of HTML on loopback.
 *
 * Files go out with the bare media type (`text/html`, `text/css` ...) and no `charset`
 * parameter, as Apache httpd does by default (`AddDefaultCharset Off`): the server cannot know
 * a file's encoding, so the page's own `<meta charset>` must decide. serve-static alone would
 * add `charset=UTF-8` to every text type, which (the HTTP header winning over `<meta>`, as the
 * HTML spec's encoding sniffing says) mis-decodes pages written in EUC-KR, windows-1252 ...
 * Answers the server writes itself (the 404 and 301 bodies) keep their true `charset=utf-8`.
 */
export function serveStaticDirectory(root: string): (req: IncomingMessage, res: ServerResponse) => void {
  const serve = serveStatic(root, {
    index: ['index.html'],
    redirect: true,
    fallthrough: true,
    // send sets Content-Type only when none is set yet, and calls this first.
    setHeaders: (res, path) => {
      const type = lookup(path);
      if (type) res.setHeader('Content-Type', type);
    },
  });
  return (req, res) => serve(req, res, finalhandler(req, res));
}
