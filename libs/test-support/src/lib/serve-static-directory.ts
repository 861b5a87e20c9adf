import type { IncomingMessage, ServerResponse } from 'node:http';
import finalhandler from 'finalhandler';
import serveStatic from 'serve-static';

/**
 * A request listener serving the files under `root` as a plain static web server does
 * (serve-static): `/dir/` serves `dir/index.html`, `/dir` answers 301 to `/dir/`, a missing
 * file answers 404, the content type follows the extension. Used by tests and the demo to put a
 * folder of HTML on loopback.
 */
export function serveStaticDirectory(root: string): (req: IncomingMessage, res: ServerResponse) => void {
  const serve = serveStatic(root, { index: ['index.html'], redirect: true, fallthrough: true });
  return (req, res) => serve(req, res, finalhandler(req, res));
}
